using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Moderation.Access;
using Vigil.Storage;
using Vigil.Storage.Users;
using Vigil.Text;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Vigil.Server.Tests;

/// <summary>The service in memory (TestServer) on a fresh database, with users of every role and keys of every scope.</summary>
public sealed class VigilFactory : WebApplicationFactory<VigilServerOptions>
{
    public const string Password = "correct horse battery";

    private static readonly Lazy<TextAnalyzer> SharedAnalyzer = new(() =>
        new TextAnalyzer(TextResources.Load(TextResources.DefaultDirectory()), new TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: EmbeddingMode.Off)));

    private readonly Dictionary<string, string> _settings;
    private readonly bool _ownsDatabase;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Adds or replaces services (after the service's own registrations).</param>
    public VigilFactory(Dictionary<string, string>? settings = null, string? database = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        DatabasePath = database ?? Path.Combine(Path.GetTempPath(), $"vigil-server-{Guid.NewGuid():N}.db");
        _ownsDatabase = database is null;
        _settings = settings ?? [];
    }

    public string DatabasePath { get; }

    public IVigilStore Store => Services.GetRequiredService<IVigilStore>();

    /// <summary>Secrets of keys by name: ingest, review, admin, all.</summary>
    public Dictionary<string, string> Keys { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Vigil:Database", DatabasePath);
        builder.UseSetting("Vigil:WebhookRetryBase", "00:00:00.100");
        builder.UseSetting("Vigil:WebhookPollInterval", "00:00:00.500");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(SharedAnalyzer.Value);
            _services?.Invoke(services);
        });
    }

    /// <summary>Creates the users (admin, mod, analyst) and keys (ingest, review, admin, all) once.</summary>
    public async Task<VigilFactory> SeedAsync()
    {
        var store = Store;
        if (Keys.Count > 0)
        {
            return this;
        }

        var users = Services.GetRequiredService<UserAccounts>();
        foreach (var (name, role) in new[] { ("admin", Role.Admin), ("mod", Role.Moderator), ("mod2", Role.Moderator), ("analyst", Role.Analyst) })
        {
            await users.AddAsync(name, null, role, Password, "test", CancellationToken.None);
        }

        var keys = Services.GetRequiredService<ApiKeys>();
        foreach (var (name, scopes) in new[] { ("ingest", ApiScopes.Ingest), ("review", ApiScopes.Review), ("review2", ApiScopes.Review), ("admin", ApiScopes.Admin), ("all", ApiScopes.Ingest | ApiScopes.Review | ApiScopes.Admin) })
        {
            Keys[name] = (await keys.CreateAsync(name, scopes, "test", CancellationToken.None)).Secret;
        }

        return this;
    }

    /// <summary>An API client with the named key (none for null).</summary>
    public HttpClient Api(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[key]);
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (disposing && _ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }

    /// <summary>Deletes a database file with its WAL, shared memory and keys.</summary>
    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        if (Directory.Exists(path + ".keys"))
        {
            Directory.Delete(path + ".keys", recursive: true);
        }
    }
}
