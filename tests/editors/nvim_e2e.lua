-- Drives a real, headless Neovim (0.7 or newer) through the editors/nvim plugin:
-- open a KaiOS manifest, wait for kaios-lsp's diagnostics, hover, request and apply the
-- quick fix, wait for its diagnostic to go, complete, open a page, check the whole
-- workspace; writes what happened as JSON.
--
-- Run by tests/editors/test_nvim.py:
--   nvim --headless -u NONE -i NONE -n -c "luafile tests/editors/nvim_e2e.lua"
-- with KAIOS_NVIM_PLUGIN, KAIOS_MANIFEST, KAIOS_PYTHON, KAIOS_RESULT and KAIOS_API set.

local env = vim.env
local out = { steps = {} }

local function step(name)
  table.insert(out.steps, name)
end

local function write_result()
  local file = assert(io.open(env.KAIOS_RESULT, "w"))
  file:write(vim.fn.json_encode(out))
  file:close()
end

local function wait(what, timeout_ms, predicate)
  if not vim.wait(timeout_ms, predicate, 50) then
    error("timed out after " .. timeout_ms .. " ms waiting for " .. what)
  end
end

local function clients_of(bufnr)
  if vim.lsp.get_clients ~= nil then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, client)
  end
  return list
end

-- Every publishDiagnostics as the server sent it (the raw LSP diagnostics, for the code
-- action context), recorded before Neovim's own handler turns them into vim.diagnostic.
local published = {}
local default_handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result ~= nil then
    published[result.uri] = result.diagnostics
  end
  return default_handler(err, result, ctx, config)
end

local function code_of(d)
  if d.code ~= nil then
    return d.code
  end
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code or nil
end

local function our_diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "kaios-lsp" then
      table.insert(list, {
        lnum = d.lnum,
        col = d.col,
        severity = d.severity,
        code = code_of(d),
        message = d.message,
      })
    end
  end
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  return list
end

local function has_code(list, code)
  for _, d in ipairs(list) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function hover_text(result)
  if result == nil or result.contents == nil then
    return nil
  end
  local contents = result.contents
  if type(contents) == "string" then
    return contents
  end
  if contents.value ~= nil then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == "string" and part or part.value)
  end
  return table.concat(parts, "\n")
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  if responses == nil then
    error(method .. " failed: " .. tostring(err))
  end
  for _, response in pairs(responses) do
    if response.err ~= nil then
      error(method .. " error: " .. vim.inspect(response.err))
    end
    return response.result
  end
  return nil
end

local function find_line(bufnr, needle)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col ~= nil then
      return row - 1, col - 1
    end
  end
  error("no line contains " .. needle)
end

local function main()
  vim.opt.runtimepath:prepend(env.KAIOS_NVIM_PLUGIN)
  vim.cmd("filetype on")
  local kaios = require("kaios_lsp")
  kaios.setup({
    cmd = { env.KAIOS_PYTHON, "-m", "kaios_lsp" },
    settings = { debounceMs = 0 },
    api = env.KAIOS_API or "auto",
  })
  local version = vim.version()
  out.nvim = string.format("%d.%d.%d", version.major, version.minor, version.patch)
  out.api = kaios.api
  step("setup")

  vim.cmd("edit " .. vim.fn.fnameescape(env.KAIOS_MANIFEST))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  out.filetype = vim.bo[bufnr].filetype

  wait("kaios-lsp to attach", 20000, function()
    return #clients_of(bufnr) > 0
  end)
  local client = clients_of(bufnr)[1]
  out.client_name = client.name
  out.root_dir = client.config.root_dir
  out.offset_encoding = client.offset_encoding
  step("attached")

  wait("kaios-lsp diagnostics", 30000, function()
    return #our_diagnostics(bufnr) > 0
  end)
  vim.wait(300) -- nothing more is expected; a late duplicate would show here
  out.diagnostics = our_diagnostics(bufnr)
  step("diagnostics")

  -- Hover over the "orientation" member.
  local row, col = find_line(bufnr, '"orientation"')
  out.hover = hover_text(request(bufnr, "textDocument/hover", {
    textDocument = { uri = uri },
    position = { line = row, character = col + 3 },
  }))
  step("hover")

  -- The quick fix of the KAI103 finding, as the light bulb would ask for it.
  local target
  for _, d in ipairs(published[uri] or {}) do
    if d.code == "KAI103" then
      target = d
    end
  end
  if target == nil then
    error("no KAI103 diagnostic was published")
  end
  local actions = request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target }, only = { "quickfix" } },
  }) or {}
  out.actions = {}
  local chosen
  for _, action in ipairs(actions) do
    table.insert(out.actions, action.title)
    if action.title == 'Change to "portrait-primary"' then
      chosen = action
    end
  end
  if chosen == nil or chosen.edit == nil then
    error("no quick fix with an edit: " .. vim.inspect(out.actions))
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  out.line_after_fix = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1]
  step("fix applied")

  wait("the KAI103 diagnostic to go", 20000, function()
    local now = our_diagnostics(bufnr)
    return #now > 0 and not has_code(now, "KAI103")
  end)
  vim.wait(300)
  out.diagnostics_after_fix = our_diagnostics(bufnr)
  step("diagnostic gone")

  -- Completion inside the orientation value (just after its opening quote).
  local value_row, value_col = find_line(bufnr, '"portrait-primary"')
  local completion = request(bufnr, "textDocument/completion", {
    textDocument = { uri = uri },
    position = { line = value_row, character = value_col + 1 },
  })
  local items = completion and (completion.items or completion) or {}
  out.completion = {}
  for _, item in ipairs(items) do
    table.insert(out.completion, item.label)
  end
  step("completion")

  -- Hover again, now that the document was edited.
  out.hover_after_edit = hover_text(request(bufnr, "textDocument/hover", {
    textDocument = { uri = uri },
    position = { line = row, character = col + 3 },
  }))
  step("hover after edit")

  -- A page of the app: the same server (same root) checks it.
  vim.cmd("silent write")
  local page = vim.fn.fnamemodify(env.KAIOS_MANIFEST, ":h") .. "/index.html"
  vim.cmd("edit " .. vim.fn.fnameescape(page))
  local page_buf = vim.api.nvim_get_current_buf()
  local page_uri = vim.uri_from_bufnr(page_buf)
  out.page_filetype = vim.bo[page_buf].filetype
  wait("diagnostics for index.html", 20000, function()
    return published[page_uri] ~= nil
  end)
  vim.wait(300)
  out.page_diagnostics = our_diagnostics(page_buf)
  out.page_clients = {}
  for _, c in ipairs(clients_of(page_buf)) do
    table.insert(out.page_clients, c.id == client.id and "same" or c.name)
  end
  step("page")

  -- The server's workspace check, as the plugin's documentation shows it: js/app.js, never
  -- opened, gets its diagnostics published.
  local script_uri = vim.uri_from_fname(vim.fn.fnamemodify(env.KAIOS_MANIFEST, ":h") .. "/js/app.js")
  out.script_published_before_check = published[script_uri] ~= nil
  local check_done = false
  vim.lsp.buf_request(
    page_buf,
    "workspace/executeCommand",
    { command = "kaios-lsp.checkWorkspace", arguments = {} },
    function(err, result)
      out.check_error = err and vim.inspect(err) or nil
      out.check_result = result
      check_done = true
    end
  )
  wait("the workspace check", 60000, function()
    return check_done
  end)
  out.script_codes = {}
  for _, d in ipairs(published[script_uri] or {}) do
    table.insert(out.script_codes, d.code)
  end
  step("workspace check")

  -- Stop the server and wait for its process to end.
  vim.lsp.stop_client(client.id)
  wait("kaios-lsp to stop", 10000, function()
    return client:is_stopped()
  end)
  step("stopped")
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  out.error = tostring(err)
  for _, client in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    vim.lsp.stop_client(client.id, true)
  end
  vim.wait(2000, function()
    return #(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) == 0
  end, 50)
end
write_result()
vim.cmd("qall!")
