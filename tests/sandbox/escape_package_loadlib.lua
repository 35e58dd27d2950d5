-- attack: load native code through package.loadlib.
-- expect: runtime "attempt to index" "'package'"
return {
  id = "attack.escape-package-loadlib", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    package.loadlib("libc.so.6", "system")("id")
  end,
}
