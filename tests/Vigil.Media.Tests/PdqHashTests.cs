namespace Vigil.Media.Tests;

public sealed class PdqHashTests
{
    private const string Bridge = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string BridgeRotated = "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";

    [Fact]
    public void Parse_and_format_round_trip_as_the_reference_prints()
    {
        var hash = PdqHash.Parse(Bridge);
        Assert.Equal(Bridge, hash.ToString());
        Assert.Equal(hash, PdqHash.Parse(Bridge.ToUpperInvariant()));
        Assert.Equal(0xb36e2ed596621e1dUL, hash.Word1);
        Assert.Equal(0x33e6b39c4e9c9b22UL, hash.Word0);
        Assert.Equal(0xf8f8f0cee0f4a84fUL, hash.Word3);
        Assert.Equal(128, hash.PopCount);
    }

    [Fact]
    public void Bit_zero_is_the_least_significant_bit_of_the_last_hex_digit()
    {
        var one = PdqHash.Parse(new string('0', 63) + "1");
        Assert.True(one.GetBit(0));
        Assert.False(one.GetBit(1));
        var top = PdqHash.Parse("8" + new string('0', 63));
        Assert.True(top.GetBit(255));
        Assert.Equal(1, top.PopCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => top.GetBit(256));
    }

    [Fact]
    public void Distance_is_the_hamming_distance()
    {
        var a = PdqHash.Parse(Bridge);
        var b = PdqHash.Parse(BridgeRotated);
        Assert.Equal(0, a.Distance(a));
        Assert.Equal(a.Distance(b), b.Distance(a));
        Assert.Equal(256, PdqHash.Zero.Distance(PdqHash.Parse(new string('f', 64))));

        // Bitwise check against a per-bit count.
        var expected = Enumerable.Range(0, 256).Count(i => a.GetBit(i) != b.GetBit(i));
        Assert.Equal(expected, a.Distance(b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("f8f8")]
    [InlineData(Bridge + "0")]
    [InlineData("g8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")]
    [InlineData(" 8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")]
    [InlineData("0x f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")]
    public void Malformed_text_is_rejected(string text)
    {
        Assert.False(PdqHash.TryParse(text, out var hash));
        Assert.Equal(PdqHash.Zero, hash);
        Assert.Throws<FormatException>(() => PdqHash.Parse(text));
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(PdqHash.TryParse((string?)null, out _));
        Assert.Throws<ArgumentNullException>(() => PdqHash.Parse((string)null!));
    }

    [Fact]
    public void Zero_hash_is_zero()
    {
        Assert.True(PdqHash.Zero.IsZero);
        Assert.Equal(new string('0', 64), PdqHash.Zero.ToString());
        Assert.False(PdqHash.Parse(Bridge).IsZero);
    }
}
