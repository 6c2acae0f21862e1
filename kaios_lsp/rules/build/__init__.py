"""Rules on the build around an app: targets that keep syntax the phone cannot parse."""
