using Npgsql;

namespace Vigil.Storage.Postgres;

/// <summary>
/// Which connection strings name a PostgreSQL database, and their Npgsql form: an Npgsql connection string
/// (<c>Host=db;Database=vigil;Username=vigil;Password=…</c>), or a URL (<c>postgres://vigil:…@db:5432/vigil?sslmode=require</c>,
/// also <c>postgresql://</c>), whose user and password are percent-decoded and whose query parameters are libpq's.
/// </summary>
public static class PostgresConnectionString
{
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslrootcert"] = "Root Certificate",
        ["sslpassword"] = "SSL Password",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["port"] = "Port",
        ["host"] = "Host",
    };

    /// <summary>Whether <paramref name="connection"/> names a PostgreSQL database (a URL, or a connection string with a
    /// <c>Host</c> or <c>Server</c>) rather than a SQLite file.</summary>
    public static bool IsPostgres(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = connection.Trim();
        return IsUrl(text) || text.Split(';').Any(part => part.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            || part.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Npgsql connection string for <paramref name="connection"/> (a URL converted; a connection string checked).</summary>
    /// <exception cref="ArgumentException">It is not a valid PostgreSQL URL or connection string.</exception>
    public static string ToNpgsql(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = connection.Trim();
        try
        {
            return IsUrl(text) ? FromUrl(text).ConnectionString : new NpgsqlConnectionStringBuilder(text).ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"Not a valid PostgreSQL connection string or URL: {e.Message}", nameof(connection), e);
        }
    }

    /// <summary>Where a connection string points, without its password (for logs and messages).</summary>
    public static string Describe(string npgsql)
    {
        var builder = new NpgsqlConnectionStringBuilder(npgsql);
        string hosts = builder.Host is { } host && (host.Contains(',', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal)) ? host : $"{builder.Host}:{builder.Port}";
        return $"postgresql://{(builder.Username is { Length: > 0 } user ? user + "@" : "")}{hosts}/{builder.Database}";
    }

    private static bool IsUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        string rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            (rest, query) = (rest[..q], rest[(q + 1)..]);
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (rest.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0)
        {
            builder.Database = Uri.UnescapeDataString(rest[(slash + 1)..]) is { Length: > 0 } database ? database : null;
            rest = rest[..slash];
        }

        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            string userInfo = rest[..at];
            rest = rest[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        // Hosts: host, host:port, [v6]:port; several, separated by commas, go to Host as they are (each with its port).
        string hosts = Uri.UnescapeDataString(rest);
        int portColon = hosts.LastIndexOf(':');
        if (!hosts.Contains(',', StringComparison.Ordinal) && portColon > hosts.LastIndexOf(']') && int.TryParse(hosts[(portColon + 1)..], out int port))
        {
            builder.Port = port;
            hosts = hosts[..portColon];
        }

        if (hosts.Length > 0)
        {
            builder.Host = hosts.StartsWith('[') && hosts.EndsWith(']') ? hosts[1..^1] : hosts;
        }

        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            string value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..]) : "";
            builder[LibpqNames.GetValueOrDefault(key, key)] = key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? SslMode(value) : value;
        }

        return builder;
    }

    /// <summary>libpq's SSL modes in Npgsql's names.</summary>
    private static string SslMode(string libpq) => libpq.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => libpq,
    };
}
