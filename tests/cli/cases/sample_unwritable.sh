# An output directory that cannot be made is a runtime error (exit 1) with
# one clear message, and nothing is left behind.
touch file
"$TOUSU" sample --orders 100 --out file/sub
