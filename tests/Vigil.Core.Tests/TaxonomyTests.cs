namespace Vigil.Core.Tests;

public class TaxonomyTests
{
    [Fact]
    public void Ids_are_the_contract()
    {
        Assert.Equal(
            ["terrorism.support", "terrorism.recruitment", "terrorism.incitement", "terrorism.propaganda", "terrorism.instruction", "terrorism.emblem", "hate"],
            Taxonomy.All.Select(c => c.Id));
        Assert.Equal(6, Taxonomy.Terrorism.Count);
        Assert.All(Taxonomy.All, c => Assert.NotEmpty(c.LegalBasis));
    }

    [Fact]
    public void Unknown_ids_fail_clearly()
    {
        Assert.False(Taxonomy.TryGet("terrorism", out _));
        var e = Assert.Throws<KeyNotFoundException>(() => Taxonomy.Get("nope"));
        Assert.Contains("terrorism.support", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContentContext.News, "news")]
    [InlineData(ContentContext.CounterSpeech, "counter_speech")]
    [InlineData(ContentContext.Research, "research")]
    [InlineData(ContentContext.Discussion, "discussion")]
    [InlineData(ContentContext.None, "none")]
    public void Context_wire_names_round_trip(ContentContext context, string wire)
    {
        Assert.Equal(wire, context.ToWire());
        Assert.Equal(context, ContentContextNames.Parse(wire));
    }
}
