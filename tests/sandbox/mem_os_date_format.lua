-- attack: os.date with a 4 MB format of %c conversions: the host sizes its
--   output buffer from the format length.
-- expect: memory
return {
  id = "attack.mem-os-date-format", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = os.date(string.rep("%c", 2000000))
  end,
}
