"""Entry point: read and validate the stack config, then build the stack. No resource code here."""
from components.config import load_from_pulumi
from components.stack import build_stack

build_stack(load_from_pulumi())
