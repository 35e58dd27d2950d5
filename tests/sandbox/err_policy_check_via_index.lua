-- attack: supply check only through __index (the loader reads raw fields, so
--   it must not find one, and must not run the metamethod).
-- expect: load-error "policy has no 'check' function"
return setmetatable({
  id = "attack.err-policy-check-via-index", severity = "high", subjects = "workflows",
}, {__index = function(t, k) while true do end end})
