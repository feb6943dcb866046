from palmares.cli import run

run()
