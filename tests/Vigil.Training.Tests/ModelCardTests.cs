using System.Text.Json;
using Vigil.Text;

namespace Vigil.Training.Tests;

public sealed class ModelCardTests
{
    [Fact]
    public void The_shipped_card_reads_and_writes_back_byte_for_byte()
    {
        string shipped = File.ReadAllText(Path.Combine(TextResources.DefaultDirectory(), "model", "model.json"));
        var card = JsonSerializer.Deserialize<ModelCard>(shipped, ModelCard.Json);
        Assert.NotNull(card);
        Assert.Equal(shipped, card.ToJson());
    }

    [Fact]
    public void A_card_without_the_embedding_stage_says_so_with_nulls()
    {
        var tuning = new Tuning(0.5, 1, 0.25, 1, new Dictionary<string, Core.CategoryThresholds>(), []);
        var card = new ModelCard(
            ModelCard.FormatName, "2026-01-01", ["terrorism", "hate", "news"], new ModelCard.FeatureCard(18, 2, 5, true), 1e-5,
            new Dictionary<string, int>(), new Dictionary<string, string[]>(), null, ModelCard.ThresholdsCard.From(tuning), null, 1.5);
        using var json = JsonDocument.Parse(card.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("embedding_stage").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("thresholds_without_embeddings").ValueKind);
        Assert.Equal(0.5, json.RootElement.GetProperty("thresholds").GetProperty("terrorism_review").GetDouble());
    }
}
