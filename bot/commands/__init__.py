"""CLI subcommands of the features, each registered from `bot.cli.parser()` by one line."""
