using System.Text.Json;
using Vigil.Moderation.Wire;

namespace Vigil.Server.Api;

/// <summary>The API's JSON: snake_case names, nulls written, as the <c>vigil scan</c> contract (the same as webhook events').</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options) => WireJson.Configure(options);

    public static JsonSerializerOptions Options => WireJson.Options;
}
