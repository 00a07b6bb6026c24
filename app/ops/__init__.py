"""Running the service: worker, command line, demo data, migrations, health, metrics."""
