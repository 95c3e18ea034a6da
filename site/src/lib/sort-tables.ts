// Progressive enhancement for league tables: turns each column header into a button that
// sorts the rows by that column (numbers by their raw data-sort value, names the Vietnamese
// way) and reports the order with aria-sort. Without JavaScript the table stays in rank order.
export function enableSortableTables(root: ParentNode = document): void {
  const collator = new Intl.Collator('vi');
  for (const table of root.querySelectorAll<HTMLTableElement>('table.league')) {
    const headers = [...table.tHead!.rows[0]!.cells];
    headers.forEach((th, column) => {
      if (th.dataset.type === 'none') return; // a picture column (sparklines): nothing to sort by
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.append(button);
      button.addEventListener('click', () => {
        const ascending = th.getAttribute('aria-sort') !== 'ascending';
        sortBy(table, column, th.dataset.type === 'number', ascending, collator);
        for (const other of headers) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      });
    });
  }
}

function sortBy(
  table: HTMLTableElement,
  column: number,
  numeric: boolean,
  ascending: boolean,
  collator: Intl.Collator,
): void {
  const body = table.tBodies[0]!;
  const rows = [...body.rows];
  const key = (row: HTMLTableRowElement) => row.cells[column]?.dataset.sort ?? '';
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    // Missing figures (no rank, no rate) always go last, whichever the direction.
    if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
    const order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
    return ascending ? order : -order;
  });
  body.append(...rows);
}
