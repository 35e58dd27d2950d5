-- attack: load a binary (precompiled) chunk asking for mode "bt"; a forged
--   one would run arbitrary bytecode, which the VM does not verify.
-- expect: runtime "attempt to load"
local bin = string.char(27) .. "Lua" .. string.char(0x54, 0, 0x19, 0x93, 13, 10, 0x1a, 10, 4, 8, 8, 0x78, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x28, 0x77, 0x40) .. string.rep("\0", 64)
return {
  id = "attack.load-binary-mode-bt", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load(bin, "x", "bt"))
  end,
}
