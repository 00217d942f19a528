"""One module per hard rule; each `build(data, model, vars)` adds its constraints."""
