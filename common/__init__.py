"""Small helpers shared by the apps: not a Django app, no models, depends on no app of ours."""
