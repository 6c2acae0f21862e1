-- kaios-lsp for Neovim 0.7 and newer.
--
--   require("kaios_lsp").setup({
--     cmd = { "kaios-lsp" },                      -- how to start the server
--     settings = { targetVersion = "auto", rules = { KAI105 = "off" } },
--   })
--
-- `manifest.webapp` and `*.webmanifest` become JSON buffers, `*.mts`/`*.cts` TypeScript
-- ones (Neovim 0.7 does not know them) and `.browserslistrc`/`browserslist` get the
-- filetype `browserslist` (Neovim has none for them). The server starts for KaiOS
-- manifests, for HTML, JavaScript, TypeScript and JSX files inside an app, and for the
-- build configs of an app that hold the build's syntax targets (`package.json`,
-- `.browserslistrc`, `browserslist`, `.babelrc`, `.babelrc.json`, `babel.config.json`,
-- `tsconfig.json`). A file is inside an app when a manifest is in its folder or above
-- it, or in the `public/`, `static/`, `src/`, `app/`, `assets/`, `dist/`, `build/` or
-- `source/` folder of its nearest build project (the nearest folder above it, not past
-- a `.git`, with a `package.json` or one of those configs): a Vue CLI or Vite app keeps
-- its manifest in `public/` and its `package.json` at the top. The root is the app's
-- project folder: the build project's folder for a manifest in such a subfolder, else
-- the folder of the manifest. The `package.json` of a project without a KaiOS manifest
-- does not start the server. The settings go both to `initializationOptions` (Neovim
-- 0.7 does not answer `workspace/configuration`) and to the `kaios` section. Neovim
-- 0.11+ uses vim.lsp.config/vim.lsp.enable, 0.8-0.10 vim.lsp.start, and 0.7
-- vim.lsp.start_client + vim.lsp.buf_attach_client (one client per app folder).
--
-- Settings (the server's; see "Configuration" in the kaios-lsp README):
--   targetVersion      "auto" | "2.5" | "3.0"
--   rules              { [rule id or name] = "error" | "warning" | "info" | "hint" | "off" }
--   distribution       "auto" | "packaged" | "hosted"
--   debounceMs         milliseconds after the last keystroke (default 30)
--   maxFileSize        bytes (default 16 MiB)
--   defaultCsp         { ["3.0"] = "<policy>", ... } replaces the default CSP of packaged apps
--   kaios3ManifestCsp  true | false (default): KaiOS 3.0 applies a manifest `csp` too
--   secureContext      "auto" (default) | "secure" | "insecure": whether the app's pages are
--                      a secure context. "auto" decides from the manifest: KaiOS 2.5
--                      packaged apps and https hosted apps are; KaiOS 3.0 packaged apps
--                      (http://<app>.localhost) probably are, but it is not confirmed, so
--                      secure-context findings there are information.
--   checkVendorCode    true | false (default): run every JavaScript rule on minified and
--                      vendor files too (*.min.js, vendor/, node_modules/, lines over 1000
--                      characters); by default only the eval/CSP rule runs there.
--   exclude            { "docs/**", "*.test.js", "tools/" }: glob patterns, relative to the
--                      project root and as in .gitignore, of files the project never
--                      ships: no findings there (added to those of kaios-lsp.toml).
--   unreachedFiles     "hint" (default) | "report" | "off": findings in pages and scripts
--                      that no entry point of the app opens are hints with the reason,
--                      reported as usual, or not at all.
--
-- The server's command "kaios-lsp.checkWorkspace" (no arguments) checks every manifest,
-- page and script under the workspace folders, also the files that are not open, and
-- publishes their diagnostics (all of them: vim.diagnostic.setqflist()). From a buffer
-- the server is attached to (Neovim 0.7 and newer):
--
--   vim.lsp.buf_request(0, "workspace/executeCommand", { command = "kaios-lsp.checkWorkspace", arguments = {} })

local M = {}

M.name = "kaios_lsp"

M.defaults = {
  cmd = { "kaios-lsp" },
  filetypes = {
    "json",
    "jsonc",
    "html",
    "javascript",
    "javascriptreact",
    "typescript",
    "typescriptreact",
    "browserslist",
  },
  settings = {},
  -- Which API to use: "auto" (by Neovim version), "enable" (0.11+), "start" (0.8+),
  -- "start_client" (0.7+). Only tests need to force it.
  api = "auto",
}

local MANIFESTS = { "manifest.webapp", "manifest.webmanifest" }

-- Build configs that hold the build's syntax targets (the server checks them); their
-- folder is a build project.
local BUILD_CONFIGS = {
  "package.json",
  ".browserslistrc",
  "browserslist",
  ".babelrc",
  ".babelrc.json",
  "babel.config.json",
  "tsconfig.json",
}

-- Folders of a build project that may hold the app's manifest.
local MANIFEST_FOLDERS = { "public", "static", "src", "app", "assets", "dist", "build", "source" }

local VCS = { ".git", ".hg", ".svn" }

local function stat(path)
  return (vim.uv or vim.loop).fs_stat(path)
end

local function is_file(path)
  local found = stat(path)
  return found ~= nil and found.type == "file"
end

local function basename(path)
  return path:match("[^/\\]+$") or path
end

local function dirname(path)
  local dir = path:match("^(.*)[/\\][^/\\]*$")
  if dir == nil or dir == "" then
    return "/"
  end
  return dir
end

local function has_manifest(dir)
  for _, name in ipairs(MANIFESTS) do
    if is_file(dir .. "/" .. name) then
      return true
    end
  end
  return false
end

local function has_any(dir, names)
  for _, name in ipairs(names) do
    if stat(dir .. "/" .. name) ~= nil then
      return true
    end
  end
  return false
end

--- Whether a file name is a KaiOS manifest the server checks.
function M.is_manifest_name(path)
  local name = basename(path):lower()
  return name == "manifest.webapp"
    or name == "manifest.webmanifest"
    or name:match("^manifest%.[%w_-]+%.webmanifest$") ~= nil
end

--- Whether a file is one of the build configs the server checks (exact names).
function M.is_build_config_name(path)
  return vim.tbl_contains(BUILD_CONFIGS, basename(path))
end

-- The project folder of the folder that holds a manifest: the build project around it
-- when it is its public/, src/... folder, else that folder.
local function project_of(dir)
  local parent = dirname(dir)
  if
    parent ~= dir
    and vim.tbl_contains(MANIFEST_FOLDERS, basename(dir))
    and not has_any(dir, BUILD_CONFIGS)
    and has_any(parent, BUILD_CONFIGS)
  then
    return parent
  end
  return dir
end

--- The app folder of a file, or nil: walking up, the first folder with a manifest, or the
--- nearest build project (not past a .git) whose public/, src/... folder holds one; a
--- manifest in such a folder gives the build project's folder.
function M.root_dir(path)
  if path == nil or path == "" then
    return nil
  end
  if M.is_manifest_name(path) then
    return project_of(dirname(path))
  end
  local dir = dirname(path)
  local look_for_project = true
  local is_project = M.is_build_config_name(path) -- even before it is saved
  while true do
    if has_manifest(dir) then
      return project_of(dir)
    end
    if look_for_project then
      is_project = is_project or has_any(dir, BUILD_CONFIGS)
      if is_project then
        look_for_project = false -- only the nearest project counts
        for _, sub in ipairs(MANIFEST_FOLDERS) do
          if has_manifest(dir .. "/" .. sub) then
            return dir
          end
        end
      elseif has_any(dir, VCS) then
        look_for_project = false
      end
    end
    local parent = dirname(dir)
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

--- Makes `manifest.webapp` and `*.webmanifest` JSON buffers (all Neovim versions).
function M.register_filetypes()
  if vim.filetype and vim.filetype.add and vim.fn.has("nvim-0.8") == 1 then
    vim.filetype.add({
      filename = {
        ["manifest.webapp"] = "json",
        [".browserslistrc"] = "browserslist",
        ["browserslist"] = "browserslist",
      },
      extension = { webmanifest = "json", mts = "typescript", cts = "typescript" },
    })
  else
    -- Neovim 0.7 detects file types with the Vim script filetype.vim by default.
    vim.cmd([[
      augroup kaios_lsp_filetypes
        autocmd!
        autocmd BufNewFile,BufRead manifest.webapp,*.webmanifest setlocal filetype=json
        autocmd BufNewFile,BufRead *.mts,*.cts setfiletype typescript
        autocmd BufNewFile,BufRead .browserslistrc,browserslist setfiletype browserslist
      augroup END
    ]])
  end
end

local function choose_api(api)
  if api ~= "auto" then
    return api
  end
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil and vim.fn.has("nvim-0.11") == 1 then
    return "enable"
  end
  if vim.lsp.start ~= nil then
    return "start"
  end
  return "start_client"
end

local function client_config(opts, root)
  return {
    name = M.name,
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = opts.settings,
    settings = { kaios = opts.settings },
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

--- The buffer's app folder if the server should attach to it.
local function attach_root(bufnr, opts)
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return nil
  end
  if basename(path):lower() == "manifest.json" then
    return dirname(path) -- the server decides whether it is a KaiOS manifest
  end
  if
    not M.is_manifest_name(path)
    and not M.is_build_config_name(path)
    and not vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype)
  then
    return nil
  end
  return M.root_dir(path)
end

local clients_by_root = {} -- Neovim 0.7: one client per app folder

local function start_0_7(bufnr, opts, root)
  local id = clients_by_root[root]
  -- A client still initializing counts (vim.lsp.client_is_stopped says it is stopped):
  -- the files opened before the server answers share it.
  local client = id ~= nil and vim.lsp.get_client_by_id(id) or nil
  if client == nil or client:is_stopped() then
    id = vim.lsp.start_client(client_config(opts, root))
    if id == nil then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

function M.setup(user_opts)
  user_opts = user_opts or {}
  local opts = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), user_opts)
  -- Lists replace the defaults (tbl_deep_extend would merge them index by index).
  opts.cmd = user_opts.cmd or M.defaults.cmd
  opts.filetypes = user_opts.filetypes or M.defaults.filetypes
  if next(opts.settings) == nil then
    opts.settings = vim.empty_dict() -- sent as {} rather than []
  end
  M.register_filetypes()
  local api = choose_api(opts.api)
  M.api = api

  if api == "enable" then
    local config = client_config(opts, nil)
    config.root_dir = function(bufnr, on_dir)
      local root = attach_root(bufnr, opts)
      if root ~= nil then
        on_dir(root)
      end
    end
    config.filetypes = opts.filetypes
    config.name = nil
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return
  end

  local group = vim.api.nvim_create_augroup("kaios_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      local root = attach_root(args.buf, opts)
      if root == nil then
        return
      end
      if api == "start" then
        vim.lsp.start(client_config(opts, root), { bufnr = args.buf })
      else
        start_0_7(args.buf, opts, root)
      end
    end,
  })
end

return M
