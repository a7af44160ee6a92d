local ts = require "tessera"

describe("smoke", function()
  it("adds", function()
    local a = ts.ones(3) * 2
    assert.are.equal(2, a:get(1))
    assert.are.same({3}, a.shape)
  end)
end)
