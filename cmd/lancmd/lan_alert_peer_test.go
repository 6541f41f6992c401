package lancmd
