-- attack: get LuaJIT's ffi through require.
-- expect: runtime "require: 'ffi' is not a steward.* module"
return {
  id = "attack.escape-require-ffi", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    require("ffi").C.system("id")
  end,
}
