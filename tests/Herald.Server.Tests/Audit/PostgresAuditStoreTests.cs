using Herald.Audit.Stores;
using Npgsql;

namespace Herald.Server.Tests.Audit;

/// <summary>
/// A database of its own for this test run on the PostgreSQL that ./test.sh starts, dropped at the end.
/// Without HERALD_TEST_POSTGRES every PostgreSQL test fails, saying how to run them: never a silent skip.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public const string Variable = "HERALD_TEST_POSTGRES";

    private string serverConnectionString = "";

    public string DatabaseName { get; } = "herald_audit_test_" + Guid.NewGuid().ToString("N");

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        serverConnectionString = Environment.GetEnvironmentVariable(Variable) ?? "";
        if (string.IsNullOrWhiteSpace(serverConnectionString))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the audit contract suite cannot run against PostgreSQL. " +
                "Run the tests with ./test.sh (it starts a throwaway PostgreSQL on 127.0.0.1 and sets the variable), " +
                $"or set {Variable} to an Npgsql connection string for a server where this user may create databases.");
        }

        // The name is generated above (letters, digits, underscores), never input: safe to place in the statement.
        await ExecuteOnServerAsync($"CREATE DATABASE {DatabaseName} ENCODING 'UTF8' TEMPLATE template0");
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
    }

    /// <summary>A fresh schema in the run's database, as an empty database for one test.</summary>
    public async Task<string> CreateEmptySchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresAuditCollection : ICollectionFixture<PostgresTestDatabase>
{
    public const string Name = "audit on PostgreSQL";
}

/// <summary>The audit contract on PostgreSQL: a new schema per test in this run's own database.</summary>
[Collection(PostgresAuditCollection.Name)]
public sealed class PostgresAuditStoreTests(PostgresTestDatabase database) : AuditStoreContract
{
    private string connectionString = "";

    protected override async Task CreateEmptyDatabaseAsync(string tempDirectory) =>
        connectionString = await database.CreateEmptySchemaAsync();

    protected override SqlAuditStore OpenStore() => new PostgresAuditStore(connectionString);

    protected override async Task<bool> IndexExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Ids_times_and_the_compressed_input_use_PostgreSQL_types_uuid_timestamptz_and_bytea()
    {
        await Store.EnsureSchemaAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT column_name || ':' || data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'audit_record' AND column_name IN ('id', 'time', 'input', 'summary', 'output')
            ORDER BY column_name
            """, connection);
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        // The whole answer is no longer a column (schema version 3).
        Assert.Equal(["id:uuid", "input:bytea", "summary:text", "time:timestamp with time zone"], columns);
    }
}
