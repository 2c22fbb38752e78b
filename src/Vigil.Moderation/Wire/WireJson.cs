using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Moderation.Wire;

/// <summary>The JSON of Vigil's API and webhook events: snake_case names, nulls written, as the <c>vigil scan</c> contract.</summary>
public static class WireJson
{
    /// <summary>Sets these rules on <paramref name="options"/> (the API's serializer options).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.MaxDepth = 32;
    }

    /// <summary>Web defaults with <see cref="Configure"/>'s rules.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
