"""nato_russia: load, validate, derive, analyse and plot the NATO-Russia event record."""
