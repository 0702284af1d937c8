"""My Pathways: a progressive web app for people on Pathways to Work and their advisers."""
