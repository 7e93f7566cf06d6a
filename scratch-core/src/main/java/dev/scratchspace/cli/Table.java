package dev.scratchspace.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table whose columns are padded to their widest cell. Numeric columns are aligned
 * right; the last column is not padded, so no line ends in blanks.
 */
final class Table {

	private final List<String[]> rows = new ArrayList<>();

	private final boolean[] rightAligned;

	Table(String... headers) {
		this.rows.add(headers);
		this.rightAligned = new boolean[headers.length];
	}

	Table alignRight(int... columns) {
		for (int column : columns) {
			this.rightAligned[column] = true;
		}
		return this;
	}

	void add(String... cells) {
		if (cells.length != this.rightAligned.length) {
			throw new IllegalArgumentException("Expected " + this.rightAligned.length + " cells, got " + cells.length);
		}
		this.rows.add(cells);
	}

	void print(PrintStream out) {
		int[] widths = new int[this.rightAligned.length];
		for (String[] row : this.rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : this.rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				boolean last = (i == row.length - 1);
				String padding = " ".repeat(widths[i] - row[i].length());
				if (this.rightAligned[i]) {
					line.append(padding).append(row[i]);
				}
				else {
					line.append(row[i]).append(last ? "" : padding);
				}
				if (!last) {
					line.append("  ");
				}
			}
			out.println(line);
		}
	}

}
