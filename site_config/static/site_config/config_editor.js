// Line numbers and YAML highlighting for the configuration editor; the textarea is what is sent.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-config-editor]").forEach((textarea) => {
    const editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "yaml",
      lineNumbers: true,
      indentUnit: 2,
      tabSize: 2,
      extraKeys: { Tab: (cm) => cm.replaceSelection("  ") },
    });
    textarea.form.addEventListener("submit", () => editor.save());
    window.configEditor = editor;
  });
});
