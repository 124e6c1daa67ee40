print("knot")
