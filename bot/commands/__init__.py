"""CLI subcommands of the features, each module registering its own with `register(sub, add)`."""
