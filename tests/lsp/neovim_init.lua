-- Neovim (headless) as the LSP client of `seg lsp` (tests/lsp/neovim.sh). Opens a rule
-- file with an error, waits for the diagnostics, asks for a definition through the
-- request API and through `vim.lsp.buf.definition()` (the editor's own jump), and writes
-- what it saw to $OUT, one fact per line, for the shell script to check.
local seg, out_path, file, root = os.getenv('SEG'), os.getenv('OUT'), os.getenv('FILE'), os.getenv('ROOT')
local lines = {}
local function say(s) table.insert(lines, s) end
local function finish()
  local f = io.open(out_path, 'w')
  f:write(table.concat(lines, '\n') .. '\n')
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. file)
  -- vim.lsp.start (Neovim 0.8+) is start_client + buf_attach_client; Debian's 0.7 has these two.
  local client_id = vim.lsp.start_client({ name = 'seg', cmd = { seg, 'lsp' }, root_dir = root })
  if not client_id then say('error no client') return end
  vim.lsp.buf_attach_client(0, client_id)

  local got = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 20)
  say('diagnostics_received ' .. tostring(got))
  for _, d in ipairs(vim.diagnostic.get(0)) do
    say(string.format('diag %s %d %d %d %d %d', tostring(d.code), d.severity, d.lnum, d.col, d.end_lnum, d.end_col))
  end

  -- Definition of `added_to_cart` (declared in schema.seg) through the request API.
  local target = vim.fn.searchpos('when added_to_cart', 'nw')
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
                   position = { line = target[1] - 1, character = target[2] - 1 + 6 } }
  local res = vim.lsp.buf_request_sync(0, 'textDocument/definition', params, 10000)
  for _, r in pairs(res or {}) do
    local loc = r.result
    if loc and loc.uri then
      say(string.format('definition %s %d %d', vim.uri_to_fname(loc.uri), loc.range.start.line, loc.range.start.character))
    elseif r.err then
      say('definition_error ' .. vim.inspect(r.err))
    end
  end

  -- The editor's own jump: cursor on `big_cart` in `tiers lifecycle from big_cart`.
  local from = vim.fn.searchpos('from big_cart', 'nw')
  vim.api.nvim_win_set_cursor(0, { from[1], from[2] - 1 + 6 })
  vim.lsp.buf.definition()
  vim.wait(10000, function() return vim.api.nvim_win_get_cursor(0)[1] ~= from[1] end, 20)
  local cur = vim.api.nvim_win_get_cursor(0)
  say(string.format('jumped %s %d %d', vim.fn.expand('%:t'), cur[1] - 1, cur[2]))
end)
if not ok then say('error ' .. tostring(err)) end
finish()
