"""Copy the header and every record of a UCDP GED CSV whose `year` is YEAR, byte for byte.

Usage: python3 cut_ged_year.py SOURCE.csv YEAR OUT.csv

Records are split on newlines outside double quotes (some GED fields hold line breaks),
so each record is copied with its original bytes, quoting and line breaks.
"""
import csv
import io
import sys


def records(data: bytes):
    start, quoted = 0, False
    for i, byte in enumerate(data):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x0A and not quoted:  # \n
            yield data[start:i + 1]
            start = i + 1
    if start < len(data):
        yield data[start:]


def main(source: str, year: str, out: str) -> None:
    data = open(source, "rb").read()
    chunks = list(records(data))
    header = chunks[0]
    columns = next(csv.reader(io.StringIO(header.decode("utf-8"))))
    year_col = columns.index("year")
    kept = [header]
    for chunk in chunks[1:]:
        fields = next(csv.reader(io.StringIO(chunk.decode("utf-8"), newline="")))
        if len(fields) != len(columns):
            sys.exit(f"record with {len(fields)} fields, expected {len(columns)}: {chunk[:80]!r}")
        if fields[year_col] == year:
            kept.append(chunk)
    with open(out, "wb") as f:
        f.write(b"".join(kept))
    print(f"{out}: {len(kept) - 1} records of {len(chunks) - 1} (year {year})")


if __name__ == "__main__":
    main(*sys.argv[1:4])
