"""``spikey list``: the registered experiments and their parameters."""

from spikey.experiments import registry


def add_arguments(parser):
    parser.add_argument("name", nargs="?", help="show one experiment's parameters")


def main(args) -> int:
    if args.name:
        exp = registry.get(args.name)
        print(f"{exp.name}: {exp.description}")
        for key, value in exp.defaults.items():
            quick = f"  (--quick: {exp.quick[key]!r})" if key in exp.quick else ""
            print(f"  {key} = {value!r}{quick}")
        return 0
    for name in registry.names():
        print(f"{name:28s} {registry.REGISTRY[name].description}")
    return 0
