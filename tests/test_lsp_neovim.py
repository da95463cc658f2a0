"""A real editor: headless Neovim and its built-in LSP client drive `infoint lsp` (open a
note, see diagnostics, type a broken link, complete a link, hover, go to definition)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import write_vault
from tests.test_lsp import ENV, FILES

NVIM = shutil.which("nvim")

# Works with Neovim 0.7 (Debian 12) and later: `vim.lsp.start_client` + attach.
SCRIPT = r"""
local out = {}
local function done()
  vim.fn.writefile({ vim.fn.json_encode(out) }, OUTPUT)
  vim.cmd("qa!")
end
local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(found, { line = d.lnum, col = d.col, code = code, message = d.message })
  end
  table.sort(found, function(a, b) return a.line < b.line end)
  return found
end
local ok, err = pcall(function()
  vim.cmd("edit " .. VAULT .. "/interviews/2026-11-18-maria-chen.md")
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "infoint",
    cmd = { PYTHON, "-m", "infoint_notes", "lsp" },
    cmd_env = { INFOINT_NOW = NOW },
    root_dir = VAULT,
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  out.opened = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  out.diagnostics = codes(bufnr)

  -- Type a broken link at the end of the note: the server sees the unsaved text.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { "Ask [[sam-le]] too.", "And [[mar" })
  out.typed = vim.wait(30000, function()
    for _, d in ipairs(codes(bufnr)) do
      if d.code == "broken-link" then return true end
    end
    return false
  end, 20)
  out.after_typing = codes(bufnr)

  local uri = vim.uri_from_bufnr(bufnr)
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  local replies = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", {
    textDocument = { uri = uri }, position = { line = last, character = 9 },
  }, 30000)
  out.completion = {}
  for _, reply in pairs(replies or {}) do
    local items = reply.result and (reply.result.items or reply.result) or {}
    for _, item in ipairs(items) do
      table.insert(out.completion, { label = item.label, detail = item.detail,
        insert = item.textEdit and item.textEdit.newText })
    end
  end

  replies = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", {
    textDocument = { uri = uri }, position = { line = 2, character = 14 },
  }, 30000)
  for _, reply in pairs(replies or {}) do
    out.hover = reply.result and reply.result.contents.value
  end

  replies = vim.lsp.buf_request_sync(bufnr, "textDocument/definition", {
    textDocument = { uri = uri }, position = { line = 2, character = 14 },
  }, 30000)
  for _, reply in pairs(replies or {}) do
    out.definition = reply.result and reply.result[1] and reply.result[1].uri
  end

  vim.lsp.stop_client(client_id)
  out.stopped = vim.wait(30000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 20)
end)
if not ok then out.error = tostring(err) end
done()
"""


@pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed")
def test_neovim_s_own_lsp_client_sees_diagnostics_completion_hover_and_definition(tmp_path):
    vault = write_vault(tmp_path / "vault", FILES)
    output = tmp_path / "out.json"
    script = tmp_path / "drive.lua"
    settings = {
        "VAULT": str(vault),
        "PYTHON": sys.executable,
        "NOW": ENV["INFOINT_NOW"],
        "OUTPUT": str(output),
    }
    prelude = "".join(f"{name} = {json.dumps(value)}\n" for name, value in settings.items())
    script.write_text(prelude + SCRIPT, encoding="utf-8")
    subprocess.run(
        [NVIM, "--headless", "--clean", "-n", "-u", "NONE", "-c", f"luafile {script}"],
        env={**ENV, "HOME": str(tmp_path)},
        cwd=vault,
        timeout=240,
        check=False,
        capture_output=True,
    )
    out = json.loads(output.read_text(encoding="utf-8"))
    assert "error" not in out, out.get("error")
    assert out["opened"] and out["typed"] and out["stopped"]
    assert [(d["line"], d["code"]) for d in out["diagnostics"]] == [(13, "closed-question")]
    broken = [d for d in out["after_typing"] if d["code"] == "broken-link"]
    assert [(d["line"], d["col"]) for d in broken] == [(20, 4)]
    assert out["completion"][:2] == [
        {
            "label": "Maria Chen",
            "detail": "contact · interviewed · Contoso",
            "insert": "maria-chen]]",
        },
        {
            "label": "maria-chen",
            "detail": "contact · interviewed · Contoso",
            "insert": "maria-chen]]",
        },
    ]
    assert out["hover"].startswith("**Maria Chen** · contact · interviewed · Contoso")
    assert out["definition"] == (vault / "contacts" / "maria-chen.md").as_uri()
