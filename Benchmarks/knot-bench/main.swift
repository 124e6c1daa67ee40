print("knot-bench")
