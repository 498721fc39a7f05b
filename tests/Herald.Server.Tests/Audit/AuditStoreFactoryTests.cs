using Herald.Audit;
using Herald.Audit.Stores;
using Npgsql;

namespace Herald.Server.Tests.Audit;

public sealed class AuditStoreFactoryTests : IDisposable
{
    private readonly AuditTempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task No_connection_string_gives_SQLite_at_the_default_path(string? connectionString)
    {
        await using var store = AuditStoreFactory.Create(connectionString, temp.File("default/audit.db"));

        var sqlite = Assert.IsType<SqliteAuditStore>(store);
        Assert.Equal(temp.File("default/audit.db"), sqlite.DatabasePath);
    }

    [Fact]
    public async Task A_SQLite_data_source_gives_SQLite_at_that_file()
    {
        await using var store = AuditStoreFactory.Create($"Data Source={temp.File("other.db")}", temp.File("default.db"));

        Assert.Equal(temp.File("other.db"), Assert.IsType<SqliteAuditStore>(store).DatabasePath);
    }

    [Theory]
    [InlineData("Host=db.example;Database=herald;Username=herald")]
    [InlineData("Server=db.example;Database=herald")]
    [InlineData("postgres://herald@db.example/herald")]
    [InlineData("postgresql://herald:secret@db.example:5433/herald?sslmode=require")]
    public async Task A_host_or_a_postgres_URI_gives_PostgreSQL(string connectionString)
    {
        await using var store = AuditStoreFactory.Create(connectionString, temp.File("default.db"));

        Assert.IsType<PostgresAuditStore>(store);
        Assert.Equal("postgresql", store.Backend);
        Assert.False(File.Exists(temp.File("default.db")));
    }

    [Theory]
    [InlineData("Host=db.example;Database=herald;Username=herald", "db.example")]
    [InlineData("postgresql://herald:secret@db.example:5433/herald?sslmode=require", "db.example")]
    public void What_shares_a_PostgreSQL_audit_connects_to_the_same_host(string connectionString, string host)
    {
        var shared = AuditStoreFactory.PostgresConnectionString(connectionString);

        Assert.Equal(host, new NpgsqlConnectionStringBuilder(shared).Host);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Data Source=/var/lib/herald/audit.db")]
    public void A_SQLite_audit_has_no_PostgreSQL_to_share(string? connectionString) =>
        Assert.Null(AuditStoreFactory.PostgresConnectionString(connectionString));

    [Fact]
    public void A_postgres_URI_becomes_the_same_settings_as_keywords()
    {
        var settings = new NpgsqlConnectionStringBuilder(
            AuditStoreFactory.FromPostgresUri("postgresql://her%40ld:p%3Ass@db.example:5433/audit?sslmode=require"));

        Assert.Equal(
            ("db.example", 5433, "her@ld", "p:ss", "audit", SslMode.Require),
            (settings.Host, settings.Port, settings.Username, settings.Password, settings.Database, settings.SslMode));
    }

    [Fact]
    public async Task The_description_names_backend_host_and_database_but_never_the_password()
    {
        await using var postgres = AuditStoreFactory.Create("postgresql://herald:s3cret@db.example:5433/audit", temp.File("default.db"));
        await using var sqlite = AuditStoreFactory.Create(null, temp.File("audit.db"));

        Assert.Equal("PostgreSQL at db.example:5433/audit", AuditStoreFactory.Describe(postgres));
        Assert.Equal($"SQLite at {temp.File("audit.db")}", AuditStoreFactory.Describe(sqlite));
    }

    [Theory]
    [InlineData("Username=herald;Database=herald")]
    [InlineData("not a connection string")]
    [InlineData("postgres://db.example/herald?nonsense=1")]
    public void A_string_that_names_neither_backend_is_refused_instead_of_falling_back_to_a_local_file(string connectionString)
    {
        Assert.Throws<ArgumentException>(() => AuditStoreFactory.Create(connectionString, temp.File("default.db")));
        Assert.False(File.Exists(temp.File("default.db")));
    }
}

public sealed class AuditDigestTests
{
    [Fact]
    public void The_digest_is_the_lowercase_hex_SHA256_of_the_bytes()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", AuditDigest.Of([]));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AuditDigest.Of("abc"u8));
    }
}
