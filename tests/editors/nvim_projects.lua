-- Which files start kaios-lsp through the editors/nvim plugin, and with which root, in a
-- tree of projects (made by tests/editors/test_nvim.py): a Vite-like app with its
-- manifest in public/, a plain app, and a Node project that is no KaiOS app.
--
--   nvim --headless -u NONE -i NONE -n -c "luafile tests/editors/nvim_projects.lua"
-- with KAIOS_NVIM_PLUGIN, KAIOS_TREE, KAIOS_PYTHON, KAIOS_RESULT and KAIOS_API set.

local env = vim.env
local out = { roots = {}, filetypes = {}, attached = {} }

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

local function all_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
end

-- relative paths of the tree, in the order they are opened
local FILES = {
  "vite/src/main.ts",
  "vite/src/view.tsx",
  "vite/src/list.jsx",
  "vite/src/worker.mts",
  "vite/package.json",
  "vite/.browserslistrc",
  "vite/tsconfig.json",
  "vite/public/manifest.webapp",
  "plain/manifest.webapp",
  "plain/js/app.ts",
  "node-lib/package.json",
  "node-lib/src/index.ts",
  "node-lib/tsconfig.json",
}

local function main()
  vim.opt.runtimepath:prepend(env.KAIOS_NVIM_PLUGIN)
  vim.cmd("filetype on")
  local kaios = require("kaios_lsp")
  kaios.setup({ cmd = { env.KAIOS_PYTHON, "-m", "kaios_lsp" }, api = env.KAIOS_API or "auto" })
  out.api = kaios.api
  local buffers = {}
  for _, name in ipairs(FILES) do
    local path = env.KAIOS_TREE .. "/" .. name
    out.roots[name] = kaios.root_dir(path) or vim.NIL
    vim.cmd("edit " .. vim.fn.fnameescape(path))
    buffers[name] = vim.api.nvim_get_current_buf()
    out.filetypes[name] = vim.bo.filetype
  end
  -- Every buffer of an app gets the server; give the others the same time to get it.
  vim.wait(20000, function()
    for name, bufnr in pairs(buffers) do
      if not name:match("^node%-lib/") and #clients_of(bufnr) == 0 then
        return false
      end
    end
    return true
  end, 50)
  vim.wait(500)
  for name, bufnr in pairs(buffers) do
    local roots = {}
    for _, client in ipairs(clients_of(bufnr)) do
      table.insert(roots, client.config.root_dir)
    end
    out.attached[name] = roots
  end
  out.clients = #all_clients()
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  out.error = tostring(err)
end
for _, client in ipairs(all_clients()) do
  vim.lsp.stop_client(client.id)
end
vim.wait(10000, function()
  return #all_clients() == 0
end, 50)
local file = assert(io.open(env.KAIOS_RESULT, "w"))
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd("qall!")
