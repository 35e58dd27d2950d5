-- attack: pcall inside pcall inside pcall, without end, re-raising what it
--   catches.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-nested-pcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function f()
      local ok, e = pcall(f)
      if not ok then error(e, 0) end
    end
    f()
  end,
}
