using Npgsql;
using Vigil.Moderation.Hosting;
using Vigil.Storage.Postgres;

namespace Vigil.Moderation.Tests;

public sealed class VigilStorageTests
{
    [Theory]
    [InlineData("vigil.db", false)]
    [InlineData("/var/lib/vigil/vigil.db", false)]
    [InlineData("Data Source=vigil.db", false)]
    [InlineData("Host=db;Database=vigil;Username=vigil", true)]
    [InlineData("Server=db; Database=vigil", true)]
    [InlineData("postgres://vigil@db/vigil", true)]
    [InlineData("postgresql://db", true)]
    public void The_connection_string_chooses_the_backend(string connection, bool postgres)
    {
        Assert.Equal(postgres, VigilStorage.IsPostgres(connection));
        Assert.False(postgres && VigilStorage.IsMissing(connection)); // a PostgreSQL database is never taken for missing
    }

    [Fact]
    public void A_url_becomes_an_npgsql_connection_string_and_is_described_without_its_password()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgres://vig%40il:p%3Ass@db.example:6543/vigil_prod?sslmode=require&application_name=vigil-2"));
        Assert.Equal(("db.example", 6543, "vigil_prod", "vig@il", "p:ss"), (built.Host, built.Port, built.Database, built.Username, built.Password));
        Assert.Equal((SslMode.Require, "vigil-2"), (built.SslMode, built.ApplicationName));
        Assert.Equal("postgresql://vig@il@db.example:6543/vigil_prod", VigilStorage.Describe("postgres://vig%40il:p%3Ass@db.example:6543/vigil_prod"));
        Assert.Equal("::1", new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgresql://[::1]:5433/v")).Host);
        Assert.Equal("a,b:5433", new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgresql://a,b:5433/v")).Host);
        Assert.DoesNotContain("secret", VigilStorage.Describe("Host=db;Database=vigil;Username=u;Password=secret"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql("Host=db;Nonsense Key=1"));
    }
}
