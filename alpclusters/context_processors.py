from . import project
from .navigation import main_menu


def site(request):
    return {"main_menu": main_menu(request.path), "project": project}
