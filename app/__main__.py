"""`python -m app <command>`: serve, migrate, seed-demo, create-adviser."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
