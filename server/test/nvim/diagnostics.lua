-- Drives deadbolt-lsp from a real editor: headless Neovim (0.7+) opens a file, attaches the server with
-- vim.lsp.start_client + vim.lsp.buf_attach_client, waits for the expected rule's diagnostics, asks for code
-- actions synchronously, and prints one line per item for the node:test file to assert. Any failure ends with
-- `cquit 1`, because `nvim -c` exits 0 even after a Lua error.
--
-- Inputs (environment): DEADBOLT_LSP_BIN (server/bin/deadbolt-lsp.js), DEADBOLT_ROOT (workspace folder),
-- DEADBOLT_FILE (file to open), DEADBOLT_RULE (rule id to wait for), DEADBOLT_NODE (node executable),
-- DEADBOLT_WAIT_MS (how long to wait for the diagnostics and for each answer; 30000 when unset).

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function fail(message)
  out('FAIL ' .. message)
  vim.cmd('cquit 1')
end

local function main()
  local bin, root, file, rule = os.getenv('DEADBOLT_LSP_BIN'), os.getenv('DEADBOLT_ROOT'), os.getenv('DEADBOLT_FILE'), os.getenv('DEADBOLT_RULE')
  if not (bin and root and file and rule) then
    return fail('DEADBOLT_LSP_BIN, DEADBOLT_ROOT, DEADBOLT_FILE and DEADBOLT_RULE must be set')
  end
  local wait_ms = tonumber(os.getenv('DEADBOLT_WAIT_MS') or '') or 30000

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'typescript'

  local client_id = vim.lsp.start_client({
    name = 'deadbolt',
    cmd = { os.getenv('DEADBOLT_NODE') or 'node', bin, '--stdio' },
    root_dir = root,
    settings = { deadbolt = { enable = true } },
    on_exit = function(code)
      if code ~= 0 then out('SERVER_EXIT ' .. code) end
    end,
  })
  if not client_id then return fail('vim.lsp.start_client returned nil') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then return fail('buf_attach_client failed') end

  local function matching()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == rule then table.insert(found, d) end
    end
    return found
  end
  if not vim.wait(wait_ms, function() return #matching() > 0 end, 20) then
    return fail('no ' .. rule .. ' diagnostic within ' .. wait_ms .. ' ms')
  end

  local diagnostics = vim.diagnostic.get(bufnr)
  for _, d in ipairs(diagnostics) do
    out(string.format('DIAG %s %d:%d %s %s', tostring(d.code), d.lnum + 1, d.col + 1, tostring(d.source), d.message))
  end

  -- Ask for the code actions of every diagnostic of the rule, as the editor's code-action menu would on each line.
  local count = 0
  for _, d in ipairs(matching()) do
    local lsp_diagnostic = vim.tbl_extend('keep', {
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code,
    }, d.user_data and d.user_data.lsp or {})
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = lsp_diagnostic.range,
      context = { diagnostics = { lsp_diagnostic } },
    }
    local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, wait_ms)
    if not responses then return fail('codeAction request failed: ' .. tostring(err)) end
    for _, response in pairs(responses) do
      if response.err then return fail('codeAction error: ' .. vim.inspect(response.err)) end
      for _, action in ipairs(response.result or {}) do
        count = count + 1
        out(string.format('ACTION %d %s %s %s', d.lnum + 1, tostring(action.kind), tostring(action.isPreferred == true), action.title))
      end
    end
  end
  if count == 0 then return fail('no code actions for the ' .. rule .. ' diagnostics') end

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  out('DONE')
  vim.cmd('qall!')
end

local ok, message = pcall(main)
if not ok then fail('lua error: ' .. tostring(message)) end
