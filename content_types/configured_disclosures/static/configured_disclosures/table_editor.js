// The table of a configured disclosure: one input per cell, typed by its column; the
// textarea it replaces is what the form sends (JSON rows), and the server checks every cell.
(function () {
  "use strict";

  function cellInput(column, value) {
    let input;
    if (column.type === "choice" || column.type === "document" || column.type === "image") {
      input = document.createElement("select");
      const blank = document.createElement("option");
      blank.value = "";
      blank.textContent = "—";
      input.appendChild(blank);
      const options = column.type === "choice"
        ? (column.options || []).map((option) => [option, option])
        : column.choices || [];
      options.forEach(([optionValue, label]) => {
        const option = document.createElement("option");
        option.value = String(optionValue);
        option.textContent = label;
        input.appendChild(option);
      });
    } else {
      input = document.createElement("input");
      input.type = column.type === "date" ? "date" : "text";
      if (["integer", "decimal", "money", "percent"].includes(column.type)) {
        input.inputMode = "decimal";
      }
    }
    input.value = value === null || value === undefined ? "" : String(value);
    input.dataset.column = column.code;
    input.setAttribute("aria-label", column.label);
    return input;
  }

  function build(textarea) {
    const schema = JSON.parse(textarea.dataset.declaredTable);
    let rows = [];
    try {
      rows = JSON.parse(textarea.value || "[]");
    } catch (error) {
      rows = [];
    }
    const table = document.createElement("table");
    table.className = "declared-table-editor";
    const head = table.createTHead().insertRow();
    head.insertCell().textContent = "行";
    schema.columns.forEach((column) => {
      const cell = document.createElement("th");
      cell.textContent = column.label + (column.required ? " *" : "");
      cell.title = column.type;
      head.appendChild(cell);
    });
    if (schema.computed) {
      const cell = document.createElement("th");
      cell.textContent = schema.computed.label + "（自动计算）";
      head.appendChild(cell);
    }
    head.appendChild(document.createElement("th"));
    const body = table.createTBody();

    function serialise() {
      const data = Array.from(body.rows).map((row) => {
        const values = {};
        row.querySelectorAll("[data-column]").forEach((input) => {
          values[input.dataset.column] = input.value;
        });
        return values;
      });
      textarea.value = JSON.stringify(data);
    }

    function number() {
      Array.from(body.rows).forEach((row, index) => {
        row.cells[0].textContent = String(index + 1);
      });
    }

    function addRow(values) {
      const row = body.insertRow();
      row.insertCell();
      schema.columns.forEach((column) => {
        row.insertCell().appendChild(cellInput(column, values[column.code]));
      });
      if (schema.computed) {
        row.insertCell().textContent = values[schema.computed.code] ? values[schema.computed.code] + "%" : "";
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button-small button-secondary";
      remove.textContent = "删除此行";
      remove.addEventListener("click", () => {
        row.remove();
        number();
        serialise();
      });
      row.insertCell().appendChild(remove);
      number();
    }

    rows.forEach(addRow);
    const add = document.createElement("button");
    add.type = "button";
    add.className = "button button-small";
    add.textContent = "添加一行";
    add.addEventListener("click", () => {
      if (body.rows.length < schema.maxRows) {
        addRow({});
        serialise();
      }
    });
    table.addEventListener("input", serialise);
    table.addEventListener("change", serialise);
    textarea.form.addEventListener("submit", serialise);
    textarea.hidden = true;
    textarea.after(table, add);
    if (!rows.length) {
      addRow({});
    }
    serialise();
  }

  function start() {
    document.querySelectorAll("textarea[data-declared-table]").forEach(build);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
