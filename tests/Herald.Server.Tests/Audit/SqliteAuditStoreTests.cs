using Herald.Audit.Stores;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests.Audit;

/// <summary>The audit contract on SQLite: a new database file per test.</summary>
public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    private string databasePath = "";

    protected override Task CreateEmptyDatabaseAsync(string tempDirectory)
    {
        // A folder that does not exist yet: the store creates it.
        databasePath = Path.Combine(tempDirectory, "data", "audit.db");
        return Task.CompletedTask;
    }

    protected override SqlAuditStore OpenStore() => new SqliteAuditStore(databasePath);

    protected override async Task<bool> IndexExistsAsync(string name)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name";
        command.Parameters.AddWithValue("@name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_database_file_and_its_missing_folder_are_created_on_first_start()
    {
        var path = Path.Combine(Path.GetDirectoryName(databasePath)!, "not", "yet", "there", "audit.db");
        await using var store = new SqliteAuditStore(path);

        await store.EnsureSchemaAsync();

        Assert.True(File.Exists(path));
        Assert.Equal([1, 2, 3], await store.AppliedVersionsAsync());
    }
}
