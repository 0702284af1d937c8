"""Loopback fakes of the services we send through. They speak the real wire protocols and
check what a real service would check, so tests see exactly what a phone would receive."""
