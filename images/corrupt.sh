# Hostile cases: corruptions of good images at named structures (sourced by images/mkimage).
corrupt_phase() { echo raw; }
