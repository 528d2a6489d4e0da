/** Number and table formatting for the capacity report: fixed locale and digits, so the docs copy can be compared in a test. */

export function number(value: number, digits = 0): string {
    return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Whole numbers as such, two decimals below 100, none above: enough to compare, short enough to read. */
export function amount(value: number): string {
    return Number.isInteger(value) || Math.abs(value) >= 100 ? number(value) : number(value, 2);
}

export function usd(value: number): string {
    return `$${number(value, 2)}`;
}

export function percent(share: number): string {
    return `${number(share * 100, 1)}%`;
}

export function megabytes(bytesPerSecond: number): string {
    return number(bytesPerSecond / 1e6, 2);
}

export function row(cells: readonly string[]): string {
    return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}

/** A Markdown table: header, alignment row (`--:` right, `---` left) and rows. */
export function table(header: readonly string[], align: readonly ("left" | "right")[], rows: readonly (readonly string[])[]): string[] {
    return [row(header), row(align.map((a) => (a === "right" ? "--:" : "---"))), ...rows.map(row)];
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
    return `${number(count)} ${count === 1 ? singular : pluralForm}`;
}
