"""One module per score term of §4; each `build(data, model, vars) -> Terms`
returns that term exactly (weight included) as a function of the variables."""
