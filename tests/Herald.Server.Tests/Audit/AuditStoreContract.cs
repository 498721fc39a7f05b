using Herald.Audit;
using Herald.Audit.Stores;

namespace Herald.Server.Tests.Audit;

/// <summary>
/// What every audit backend must do. Each concrete subclass gives every test a fresh, empty database of
/// its kind; the same tests then run on SQLite and on PostgreSQL.
/// </summary>
public abstract class AuditStoreContract : IAsyncLifetime
{
    private const string CallerA = "https://ehr-a.example/issuer";
    private const string CallerB = "https://ehr-b.example/issuer";

    private readonly AuditTempDirectory temp = new();
    private readonly List<SqlAuditStore> opened = [];

    /// <summary>The store under test, schema not yet created.</summary>
    protected SqlAuditStore Store { get; private set; } = null!;

    /// <summary>Prepares an empty database for this test.</summary>
    protected abstract Task CreateEmptyDatabaseAsync(string tempDirectory);

    /// <summary>A new store object (its own connections) over this test's database.</summary>
    protected abstract SqlAuditStore OpenStore();

    protected abstract Task<bool> IndexExistsAsync(string name);

    protected abstract Task ExecuteSqlAsync(string sql);

    public async Task InitializeAsync()
    {
        await CreateEmptyDatabaseAsync(temp.Path);
        Store = Open();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        temp.Dispose();
    }

    private SqlAuditStore Open()
    {
        var store = OpenStore();
        opened.Add(store);
        return store;
    }

    private async Task<SqlAuditStore> ReadyStoreAsync()
    {
        await Store.EnsureSchemaAsync();
        return Store;
    }

    private static async Task<AuditEntry> SingleAsync(IAuditStore store, AuditQuery query) =>
        Assert.Single(await store.QueryAsync(query));

    /// <summary>The card ids one answer gets (CardIds): uuids that share their first 8 bytes.</summary>
    private static string[] AnswerCards(string hookInstance, int count) =>
        Enumerable.Range(0, count).Select(i => Herald.Server.CdsHooks.CardIds.For(hookInstance, $"card/{i}")).ToArray();

    /// <summary>A record as schema versions 3 and 4 wrote it: no cards column, one audit_card row per card.</summary>
    private async Task InsertVersion3RecordAsync(Guid id, string time, params string[] cardIds)
    {
        await ExecuteSqlAsync($$"""
            INSERT INTO audit_record (id, time, caller, service, hook, hook_instance, patient_id, edition, knowledge_base_version,
                                      input_digest, output_digest, latency_ms, status, summary)
            VALUES ('{{id}}', '{{time}}', '{{CallerA}}', 'herald-patient-view', 'patient-view', 'hook-old', 'patient-1', 'current-seeds',
                    '2026.11.0', '{{AuditDigest.Of("{}"u8)}}', '{{AuditDigest.Of("{}"u8)}}', 1.5, 200, '{"decisionPoint":"later-line"}')
            """);
        for (var position = 0; position < cardIds.Length; position++)
        {
            await ExecuteSqlAsync($"INSERT INTO audit_card (audit_id, position, card_id) VALUES ('{id}', {position}, '{cardIds[position]}')");
        }
    }

    // ── Schema ────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task The_schema_is_created_on_an_empty_database_with_every_migration_recorded()
    {
        await Store.EnsureSchemaAsync();

        Assert.Equal([1, 2, 3, 4, 5], await Store.AppliedVersionsAsync());
        Assert.Empty(await Store.QueryAsync(new AuditQuery(CallerA)));
        Assert.True(await IndexExistsAsync("audit_record_caller_time"));
    }

    [Fact]
    public async Task Ensuring_the_schema_again_changes_nothing_and_keeps_the_records()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record();
        await store.AppendAsync(record);

        await store.EnsureSchemaAsync();
        await Open().EnsureSchemaAsync();

        Assert.Equal([1, 2, 3, 4, 5], await store.AppliedVersionsAsync());
        Assert.Equal(record.Id, (await SingleAsync(store, new AuditQuery(CallerA))).Record.Id);
    }

    [Fact]
    public async Task Servers_starting_together_migrate_once_without_failing()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureSchemaAsync())));

        Assert.Equal([1, 2, 3, 4, 5], await Store.AppliedVersionsAsync());
    }

    [Fact]
    public async Task A_version_1_database_is_migrated_to_the_current_version_and_keeps_its_records_with_their_full_answers()
    {
        await Store.MigrateAsync(1, CancellationToken.None);
        var id = Guid.NewGuid();
        // A record as version 1 wrote it: the whole answer in audit_record.output.
        await ExecuteSqlAsync($$"""
            INSERT INTO audit_record (id, time, caller, service, hook, hook_instance, patient_id, edition, input_digest, output, latency_ms, status)
            VALUES ('{{id}}', '2026-03-14T12:00:00.000000Z', '{{CallerA}}', 'herald-patient-view', 'patient-view', 'hook-1', 'patient-1',
                    'current-seeds', '{{AuditDigest.Of("{}"u8)}}', '{"cards":[{"uuid":"card-old"}]}', 1.5, 200)
            """);
        await ExecuteSqlAsync($"INSERT INTO audit_card (audit_id, position, card_id) VALUES ('{id}', 0, 'card-old')");
        Assert.Equal([1], await Store.AppliedVersionsAsync());
        Assert.False(await IndexExistsAsync("audit_card_card_id"));

        await Open().EnsureSchemaAsync();

        Assert.Equal([1, 2, 3, 4, 5], await Store.AppliedVersionsAsync());
        Assert.True(await IndexExistsAsync("audit_card_card_id"));
        var entry = await SingleAsync(Store, new AuditQuery(CallerA));
        Assert.Equal(id, entry.Record.Id);
        Assert.Equal(["card-old"], entry.Record.CardIds);
        Assert.Null(entry.Record.OutputDigest);
        var found = await Store.FindAsync(id);
        Assert.Equal("""{"cards":[{"uuid":"card-old"}]}""", found!.LegacyOutput);
        Assert.Null(found.Record.Input);

        // Feedback still attaches to the old record's card, and new records go in beside it.
        Assert.True(await Store.AppendFeedbackAsync(new AuditFeedback(CallerA, "herald-patient-view", "card-old", "accepted", null, null, null, null, ["s"], null, AuditSamples.Noon)));
        await Store.AppendAsync(AuditSamples.Record(time: AuditSamples.Noon.AddDays(1)));
        Assert.Equal(2, (await Store.QueryAsync(new AuditQuery(CallerA))).Count);
    }

    [Fact]
    public async Task A_version_3_database_gains_the_shared_jti_table_and_keeps_its_records_and_feedback()
    {
        await Store.MigrateAsync(3, CancellationToken.None);
        var record = AuditSamples.Record(cardIds: ["card-3"]);
        await InsertVersion3RecordAsync(record.Id, "2026-03-14T12:00:00.000000Z", "card-3");
        Assert.True(await Store.AppendFeedbackAsync(AuditSamples.Accepted(record, "card-3")));
        Assert.False(await IndexExistsAsync("jti_replay_remember_until"));

        await Open().EnsureSchemaAsync();

        Assert.Equal([1, 2, 3, 4, 5], await Store.AppliedVersionsAsync());
        Assert.True(await IndexExistsAsync("jti_replay_remember_until"));
        var entry = await SingleAsync(Store, new AuditQuery(CallerA));
        Assert.Equal(record.Id, entry.Record.Id);
        Assert.Equal(["card-3"], entry.Record.CardIds);
        Assert.Equal("card-3", Assert.Single(entry.Feedback).CardId);
    }

    [Fact]
    public async Task A_version_4_database_gains_cards_in_the_row_and_its_records_cards_are_still_read_and_found_by_feedback()
    {
        await Store.MigrateAsync(4, CancellationToken.None);
        var cardId = AnswerCards("hook-old", 2)[1];
        var old = AuditSamples.Record(cardIds: ["card-4", cardId]);
        await InsertVersion3RecordAsync(old.Id, "2026-03-14T12:00:00.000000Z", "card-4", cardId);
        Assert.False(await IndexExistsAsync("audit_record_card_prefix"));

        await Open().EnsureSchemaAsync();

        Assert.Equal([1, 2, 3, 4, 5], await Store.AppliedVersionsAsync());
        Assert.True(await IndexExistsAsync("audit_record_card_prefix"));
        Assert.Equal(["card-4", cardId], (await SingleAsync(Store, new AuditQuery(CallerA))).Record.CardIds);
        Assert.Equal(["card-4", cardId], (await Store.FindAsync(old.Id))!.Record.CardIds);

        // The old record's uuid card is found through audit_card; a newer answer with the same card takes its feedback.
        Assert.True(await Store.AppendFeedbackAsync(AuditSamples.Accepted(old, cardId)));
        var newer = AuditSamples.Record(time: AuditSamples.Noon.AddDays(1), cardIds: [cardId]);
        await Store.AppendAsync(newer);
        Assert.True(await Store.AppendFeedbackAsync(AuditSamples.Accepted(newer, cardId)));
        var entries = (await Store.QueryAsync(new AuditQuery(CallerA))).ToDictionary(e => e.Record.Id);
        Assert.Single(entries[old.Id].Feedback);
        Assert.Single(entries[newer.Id].Feedback);
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_Herald_is_refused_rather_than_written()
    {
        await Store.EnsureSchemaAsync();
        await ExecuteSqlAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', '2030-01-01T00:00:00.000000Z')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.EnsureSchemaAsync());

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    // ── Records ───────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Every_field_of_a_record_reads_back_as_written()
    {
        var store = await ReadyStoreAsync();
        var input = new AuditInput("application/json", new Dictionary<string, string> { ["edition"] = "panel-2021" },
            AuditSamples.Noon, "{\"resourceType\":\"Bundle\"}"u8.ToArray(), false, new Dictionary<string, AuditFetch>()).Encode();
        var record = new AuditRecord(
            Guid.NewGuid(),
            new DateTimeOffset(2026, 3, 14, 14, 30, 15, 123, 456, TimeSpan.FromHours(2)),
            CallerA,
            "herald-order-sign",
            "order-sign",
            "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "Patient/ä-42",
            "panel-2021",
            "2026.11.0",
            AuditDigest.Of("{\"resourceType\":\"Bundle\"}"u8),
            AuditDigest.Of("""{"cards":[{"summary":"Trastuzumab deruxtecan – pneumonitis «grade ≥2» 間質性肺疾患 🫁"}]}"""u8),
            1234.567,
            200,
            new AuditSummary("later-line", 4, ["tdxd", "tucatinib-trastuzumab-capecitabine"], ["trastuzumab-emtansine"], ["lvef-missing", "pneumonitis-«≥2»"],
                ["card-3", "card-1", "card-2"],
                [new AuditEditionSummary("panel-2021", "later-line", 4, ["tdxd"], [])]),
            input);

        await store.AppendAsync(record);
        var queried = (await SingleAsync(store, new AuditQuery(CallerA))).Record;
        var found = (await store.FindAsync(record.Id))!.Record;

        foreach (var back in new[] { queried, found })
        {
            Assert.Equal(record.Id, back.Id);
            Assert.Equal(record.Time, back.Time);
            Assert.Equal(record.Caller, back.Caller);
            Assert.Equal(record.Service, back.Service);
            Assert.Equal(record.Hook, back.Hook);
            Assert.Equal(record.HookInstance, back.HookInstance);
            Assert.Equal(record.PatientId, back.PatientId);
            Assert.Equal(record.Edition, back.Edition);
            Assert.Equal(record.KnowledgeBaseVersion, back.KnowledgeBaseVersion);
            Assert.Equal(record.InputDigest, back.InputDigest);
            Assert.Equal(record.OutputDigest, back.OutputDigest);
            Assert.Equal(record.LatencyMs, back.LatencyMs);
            Assert.Equal(record.Status, back.Status);
            Assert.Equal(["card-3", "card-1", "card-2"], back.CardIds);
            Assert.Equal(("later-line", 4), (back.Summary.DecisionPoint, back.Summary.Line));
            Assert.Equal(record.Summary.Ranked, back.Summary.Ranked);
            Assert.Equal(record.Summary.Excluded, back.Summary.Excluded);
            Assert.Equal(record.Summary.Alerts, back.Summary.Alerts);
            var edition = Assert.Single(back.Summary.Editions!);
            Assert.Equal(("panel-2021", "later-line", 4, "tdxd"), (edition.Edition, edition.DecisionPoint, edition.Line, Assert.Single(edition.Ranked)));
        }

        // The input is read for one record by id, never with a caller's query.
        Assert.Null(queried.Input);
        Assert.Equal(input, found.Input);
        var decoded = AuditInput.Decode(found.Input!);
        Assert.Equal("{\"resourceType\":\"Bundle\"}"u8.ToArray(), decoded.Body);
        Assert.Equal("panel-2021", decoded.Query["edition"]);
    }

    [Fact]
    public async Task A_record_without_hook_patient_edition_input_or_cards_reads_back_with_them_absent()
    {
        var store = await ReadyStoreAsync();
        var record = new AuditRecord(Guid.NewGuid(), AuditSamples.Noon, CallerA, "recommendations", null, null, null, null, null,
            AuditDigest.Of("x"u8), AuditDigest.Of("""{"title":"invalid input"}"""u8), 0.25, 400, AuditSummary.None, null);

        await store.AppendAsync(record);
        var back = (await store.FindAsync(record.Id))!.Record;

        Assert.Null(back.Hook);
        Assert.Null(back.HookInstance);
        Assert.Null(back.PatientId);
        Assert.Null(back.Edition);
        Assert.Null(back.KnowledgeBaseVersion);
        Assert.Null(back.Input);
        Assert.Empty(back.CardIds);
        Assert.Null(back.Summary.DecisionPoint);
        Assert.Empty(back.Summary.Ranked);
        Assert.Null(back.Summary.Editions);
        Assert.Equal(400, back.Status);
        Assert.Equal(0.25, back.LatencyMs);
    }

    [Fact]
    public async Task Finding_a_record_that_does_not_exist_gives_nothing()
    {
        var store = await ReadyStoreAsync();

        Assert.Null(await store.FindAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Times_are_kept_to_the_microsecond_on_every_backend()
    {
        var store = await ReadyStoreAsync();
        var time = new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567); // 0.1234567 s
        await store.AppendAsync(AuditSamples.Record(time: time));

        var back = (await SingleAsync(store, new AuditQuery(CallerA))).Record;

        Assert.Equal(time.AddTicks(-7), back.Time);
        Assert.Equal(TimeSpan.Zero, back.Time.Offset);
    }

    [Fact]
    public async Task Appending_the_same_record_id_again_stores_it_once_and_keeps_the_first_write()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record(cardIds: ["card-a", "card-b"]);

        await store.AppendAsync(record);
        await store.AppendAsync(record);
        await store.AppendAsync(record with { OutputDigest = "changed", Summary = record.Summary with { Cards = ["card-c"] } });

        var entry = await SingleAsync(store, new AuditQuery(CallerA));
        Assert.Equal(record.OutputDigest, entry.Record.OutputDigest);
        Assert.Equal(["card-a", "card-b"], entry.Record.CardIds);
    }

    [Fact]
    public async Task A_record_written_again_with_more_cards_in_one_commit_with_others_keeps_its_first_cards()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record(cardIds: ["card-a"]);
        var other = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1), cardIds: ["card-x", "card-y"]);
        await store.AppendAsync(record);

        // One commit: the stored record again with more cards, a new record with its own, then the new one again.
        var results = await store.WriteAsync([
            AuditWrite.Of(record with { Summary = record.Summary with { Cards = ["card-b", "card-c", "card-d"] } }),
            AuditWrite.Of(other),
            AuditWrite.Of(other with { Summary = other.Summary with { Cards = ["card-z"] } }),
        ]);

        Assert.Equal([true, true, true], results);
        var entries = await store.QueryAsync(new AuditQuery(CallerA));
        Assert.Equal(["card-a"], entries.Single(e => e.Record.Id == record.Id).Record.CardIds);
        Assert.Equal(["card-x", "card-y"], entries.Single(e => e.Record.Id == other.Id).Record.CardIds);
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_lose_no_record()
    {
        await Store.EnsureSchemaAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        var records = Enumerable.Range(0, 40).Select(i => AuditSamples.Record(time: AuditSamples.Noon.AddSeconds(i), cardIds: [$"card-{i}"])).ToList();

        await Task.WhenAll(records.Select((record, i) => Task.Run(async () =>
        {
            await stores[i % stores.Count].AppendAsync(record);
            await stores[(i + 1) % stores.Count].QueryAsync(new AuditQuery(CallerA, Limit: 5));
        })));

        var all = await Store.QueryAsync(new AuditQuery(CallerA, Limit: 100));
        Assert.Equal(records.AsEnumerable().Reverse().Select(r => r.Id), all.Select(e => e.Record.Id));
        Assert.All(all, e => Assert.Equal($"card-{records.IndexOf(records.Single(r => r.Id == e.Record.Id))}", Assert.Single(e.Record.CardIds)));
    }

    // ── Who reads what ────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task A_caller_never_reads_another_callers_records_whatever_the_filters()
    {
        var store = await ReadyStoreAsync();
        var ofA = AuditSamples.Record(caller: CallerA, patientId: "shared-patient", hookInstance: "hook-1");
        var ofB = AuditSamples.Record(caller: CallerB, patientId: "other-patient");
        await store.AppendAsync(ofA);
        await store.AppendAsync(ofB);

        Assert.Equal([ofB.Id], (await store.QueryAsync(new AuditQuery(CallerB))).Select(e => e.Record.Id));
        Assert.Empty(await store.QueryAsync(new AuditQuery(CallerB, PatientId: "shared-patient")));
        Assert.Empty(await store.QueryAsync(new AuditQuery(CallerB, HookInstance: "hook-1")));
        Assert.Equal([ofA.Id], (await store.QueryAsync(new AuditQuery(CallerA))).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task A_caller_cannot_attach_feedback_to_another_callers_card()
    {
        var store = await ReadyStoreAsync();
        var ofA = AuditSamples.Record(caller: CallerA, cardIds: ["card-of-a"]);
        await store.AppendAsync(ofA);

        var attached = await store.AppendFeedbackAsync(AuditSamples.Overridden(ofA, "card-of-a", caller: CallerB));

        Assert.False(attached);
        Assert.Empty((await SingleAsync(store, new AuditQuery(CallerA))).Feedback);
    }

    [Fact]
    public async Task Feedback_is_refused_for_an_unknown_card_or_a_card_of_another_service()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record(service: "herald-patient-view", cardIds: ["card-1"]);
        await store.AppendAsync(record);

        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Accepted(record, "no-such-card")));
        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Overridden(record, "card-1", service: "herald-order-sign")));
        Assert.Empty((await SingleAsync(store, new AuditQuery(CallerA))).Feedback);
    }

    [Fact]
    public async Task An_empty_caller_or_a_limit_below_one_is_refused()
    {
        var store = await ReadyStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryAsync(new AuditQuery(" ")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryAsync(new AuditQuery(CallerA, Limit: 0)));
    }

    // ── Filters ───────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Records_come_newest_first_and_the_limit_keeps_the_newest()
    {
        var store = await ReadyStoreAsync();
        var records = Enumerable.Range(0, 5).Select(i => AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(i))).ToList();
        foreach (var record in new[] { records[2], records[0], records[4], records[1], records[3] })
        {
            await store.AppendAsync(record);
        }

        var all = await store.QueryAsync(new AuditQuery(CallerA));
        var newestTwo = await store.QueryAsync(new AuditQuery(CallerA, Limit: 2));

        Assert.Equal(records.AsEnumerable().Reverse().Select(r => r.Id), all.Select(e => e.Record.Id));
        Assert.Equal([records[4].Id, records[3].Id], newestTwo.Select(e => e.Record.Id));
        Assert.Equal(records[3].CardIds, newestTwo[1].Record.CardIds);
    }

    [Fact]
    public async Task Patient_service_and_hook_instance_filters_each_select_only_matching_records()
    {
        var store = await ReadyStoreAsync();
        var patient1View = AuditSamples.Record(patientId: "p1", service: "herald-patient-view", hookInstance: "h1");
        var patient1Order = AuditSamples.Record(patientId: "p1", service: "herald-order-sign", hookInstance: "h2", time: AuditSamples.Noon.AddSeconds(1));
        var patient2View = AuditSamples.Record(patientId: "p2", service: "herald-patient-view", hookInstance: "h3", time: AuditSamples.Noon.AddSeconds(2));
        foreach (var record in new[] { patient1View, patient1Order, patient2View })
        {
            await store.AppendAsync(record);
        }

        async Task<IEnumerable<Guid>> Ids(AuditQuery query) => (await store.QueryAsync(query)).Select(e => e.Record.Id);

        Assert.Equal([patient1Order.Id, patient1View.Id], await Ids(new AuditQuery(CallerA, PatientId: "p1")));
        Assert.Equal([patient2View.Id, patient1View.Id], await Ids(new AuditQuery(CallerA, Service: "herald-patient-view")));
        Assert.Equal([patient1Order.Id], await Ids(new AuditQuery(CallerA, HookInstance: "h2")));
        Assert.Equal([patient1View.Id], await Ids(new AuditQuery(CallerA, PatientId: "p1", Service: "herald-patient-view")));
        Assert.Empty(await Ids(new AuditQuery(CallerA, PatientId: "p3")));
    }

    [Fact]
    public async Task From_is_inclusive_and_to_is_exclusive_in_any_offset()
    {
        var store = await ReadyStoreAsync();
        var records = Enumerable.Range(0, 4).Select(i => AuditSamples.Record(time: AuditSamples.Noon.AddHours(i))).ToList();
        foreach (var record in records)
        {
            await store.AppendAsync(record);
        }

        // 13:00Z to 15:00Z, written as 15:00+02:00 and 17:00+02:00.
        var from = AuditSamples.Noon.AddHours(1).ToOffset(TimeSpan.FromHours(2));
        var to = AuditSamples.Noon.AddHours(3).ToOffset(TimeSpan.FromHours(2));
        var window = await store.QueryAsync(new AuditQuery(CallerA, From: from, To: to));

        Assert.Equal([records[2].Id, records[1].Id], window.Select(e => e.Record.Id));
        Assert.Equal([records[3].Id], (await store.QueryAsync(new AuditQuery(CallerA, From: records[3].Time))).Select(e => e.Record.Id));
        Assert.Equal([records[0].Id], (await store.QueryAsync(new AuditQuery(CallerA, To: records[1].Time))).Select(e => e.Record.Id));
    }

    // ── Feedback ──────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Accepted_and_overridden_feedback_attach_to_the_records_that_produced_the_cards()
    {
        var store = await ReadyStoreAsync();
        var first = AuditSamples.Record(cardIds: ["card-1a", "card-1b"]);
        var second = AuditSamples.Record(cardIds: ["card-2a"], time: AuditSamples.Noon.AddMinutes(1));
        await store.AppendAsync(first);
        await store.AppendAsync(second);

        var accepted = AuditSamples.Accepted(first, "card-1b", "suggestion-1", "suggestion-2");
        var overridden = AuditSamples.Overridden(second, "card-2a");
        Assert.True(await store.AppendFeedbackAsync(accepted));
        Assert.True(await store.AppendFeedbackAsync(overridden));

        var entries = (await store.QueryAsync(new AuditQuery(CallerA))).ToDictionary(e => e.Record.Id);
        var onFirst = Assert.Single(entries[first.Id].Feedback);
        var onSecond = Assert.Single(entries[second.Id].Feedback);

        Assert.Equal(accepted.Id, onFirst.Id);
        Assert.Equal("card-1b", onFirst.CardId);
        Assert.Equal("accepted", onFirst.Outcome);
        Assert.Equal(["suggestion-1", "suggestion-2"], onFirst.AcceptedSuggestions);
        Assert.Null(onFirst.OverrideReasonCode);
        Assert.Equal(accepted.OutcomeTime, onFirst.OutcomeTime);
        Assert.Equal(accepted.ReceivedAt, onFirst.ReceivedAt);

        Assert.Equal(overridden.Id, onSecond.Id);
        Assert.Equal(CallerA, onSecond.Caller);
        Assert.Equal(second.Service, onSecond.Service);
        Assert.Equal("overridden", onSecond.Outcome);
        Assert.Equal("patient-declined", onSecond.OverrideReasonCode);
        Assert.Equal("https://herald.example/override-reasons", onSecond.OverrideReasonSystem);
        Assert.Equal("Patient declined", onSecond.OverrideReasonDisplay);
        Assert.Equal("Wants to discuss at the tumour board", onSecond.UserComment);
        Assert.Empty(onSecond.AcceptedSuggestions);
    }

    [Fact]
    public async Task Feedback_without_an_outcome_time_reads_back_without_one()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record(cardIds: ["card-1"]);
        await store.AppendAsync(record);

        Assert.True(await store.AppendFeedbackAsync(AuditSamples.Accepted(record, "card-1") with { OutcomeTime = null }));

        Assert.Null(Assert.Single((await SingleAsync(store, new AuditQuery(CallerA))).Feedback).OutcomeTime);
    }

    [Fact]
    public Task Feedback_on_a_card_id_answered_twice_goes_to_the_newest_record() =>
        AssertFeedbackGoesToTheNewestOfTwoRecords(["same-card"], hookInstance: null);

    // Two records holding the same cards, the newer one written first: feedback on a card goes to the newer.
    private async Task AssertFeedbackGoesToTheNewestOfTwoRecords(IReadOnlyList<string> cards, string? hookInstance)
    {
        var store = await ReadyStoreAsync();
        var older = AuditSamples.Record(hookInstance: hookInstance, cardIds: cards);
        var newer = AuditSamples.Record(hookInstance: hookInstance, time: AuditSamples.Noon.AddMinutes(1), cardIds: cards);
        await store.AppendAsync(newer);
        await store.AppendAsync(older);

        Assert.True(await store.AppendFeedbackAsync(AuditSamples.Accepted(older, cards[0])));

        var entries = (await store.QueryAsync(new AuditQuery(CallerA))).ToDictionary(e => e.Record.Id);
        Assert.Single(entries[newer.Id].Feedback);
        Assert.Empty(entries[older.Id].Feedback);
    }

    [Fact]
    public async Task An_answers_cards_that_share_a_prefix_are_kept_in_its_row_in_order_without_card_rows()
    {
        var store = await ReadyStoreAsync();
        var cards = AnswerCards("hook-1", 12);
        var record = AuditSamples.Record(cardIds: cards);
        await store.AppendAsync(record);

        await ExecuteSqlAsync("DELETE FROM audit_card");
        Assert.Equal(cards, (await SingleAsync(store, new AuditQuery(CallerA))).Record.CardIds);
        Assert.Equal(cards, (await store.FindAsync(record.Id))!.Record.CardIds);
        Assert.True(await store.AppendFeedbackAsync(AuditSamples.Accepted(record, cards[7])));
        Assert.Equal(cards[7], Assert.Single((await SingleAsync(store, new AuditQuery(CallerA))).Feedback).CardId);
    }

    [Fact]
    public async Task Feedback_found_by_prefix_goes_only_to_a_record_holding_that_exact_card()
    {
        var store = await ReadyStoreAsync();
        // The same hook instance gives both answers one prefix; only one of them holds each card.
        var first = AuditSamples.Record(hookInstance: "hook-1", cardIds: AnswerCards("hook-1", 3)[..2]);
        var second = AuditSamples.Record(hookInstance: "hook-1", time: AuditSamples.Noon.AddMinutes(1), cardIds: AnswerCards("hook-1", 3)[2..]);
        await store.AppendAsync(first);
        await store.AppendAsync(second);

        Assert.True(await store.AppendFeedbackAsync(AuditSamples.Accepted(first, first.CardIds[1])));
        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Accepted(first, AnswerCards("hook-1", 4)[3])));
        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Accepted(first, first.CardIds[1].ToUpperInvariant())));
        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Accepted(first, first.CardIds[1], "s") with { Service = "herald-order-sign" }));
        Assert.False(await store.AppendFeedbackAsync(AuditSamples.Accepted(first, first.CardIds[1]) with { Caller = CallerB }));

        var entries = (await store.QueryAsync(new AuditQuery(CallerA))).ToDictionary(e => e.Record.Id);
        Assert.Equal(first.CardIds[1], Assert.Single(entries[first.Id].Feedback).CardId);
        Assert.Empty(entries[second.Id].Feedback);
    }

    [Fact]
    public Task Feedback_on_a_prefixed_card_answered_twice_goes_to_the_newest_record() =>
        AssertFeedbackGoesToTheNewestOfTwoRecords(AnswerCards("hook-1", 2), hookInstance: "hook-1");

    [Fact]
    public async Task Cards_of_one_answer_with_different_prefixes_are_found_through_their_card_rows()
    {
        var store = await ReadyStoreAsync();
        string[] cards = [AnswerCards("hook-1", 1)[0], AnswerCards("hook-2", 1)[0], "card-plain"];
        var record = AuditSamples.Record(cardIds: cards);
        await store.AppendAsync(record);

        Assert.Equal(cards, (await SingleAsync(store, new AuditQuery(CallerA))).Record.CardIds);
        foreach (var card in cards)
        {
            Assert.True(await store.AppendFeedbackAsync(AuditSamples.Accepted(record, card)));
        }

        var feedback = (await SingleAsync(store, new AuditQuery(CallerA))).Feedback.Select(f => f.CardId);
        Assert.Equal(cards.Order(StringComparer.Ordinal), feedback.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_same_feedback_sent_twice_is_stored_once()
    {
        var store = await ReadyStoreAsync();
        var record = AuditSamples.Record(cardIds: ["card-1"]);
        await store.AppendAsync(record);
        var feedback = AuditSamples.Accepted(record, "card-1");

        Assert.True(await store.AppendFeedbackAsync(feedback));
        Assert.True(await store.AppendFeedbackAsync(feedback));

        Assert.Single((await SingleAsync(store, new AuditQuery(CallerA))).Feedback);
    }

    // ── When a write fails ────────────────────────────────────────────────────────────────────

    private (DurableAuditWriter Writer, FlakyStore Flaky, string SpoolDirectory) Writer(TimeSpan? retryInterval = null, TimeProvider? clock = null)
    {
        var flaky = new FlakyStore(Store);
        var spool = Path.Combine(temp.Path, "spool");
        var options = new AuditQueueOptions { StoreRetryInterval = retryInterval ?? TimeSpan.Zero };
        return (new DurableAuditWriter(flaky, spool, options, clock), flaky, spool);
    }

    [Fact]
    public async Task Concurrent_answers_waiting_for_a_commit_share_one_transaction_and_none_returns_before_it()
    {
        await Store.EnsureSchemaAsync();
        var gated = new GatedStore(Store);
        await using var writer = new DurableAuditWriter(gated, Path.Combine(temp.Path, "spool"), new AuditQueueOptions { StoreTimeout = TimeSpan.FromMinutes(1) });
        var first = writer.AppendAsync(AuditSamples.Record());
        await gated.Entered.Task;

        var waiting = Enumerable.Range(0, 12).Select(i => AuditSamples.Record(time: AuditSamples.Noon.AddSeconds(i + 1))).ToList();
        var calls = waiting.Select(r => Task.Run(() => writer.AppendAsync(r))).ToList();
        await Eventually.True(() => writer.Health.Queued == 12, "12 calls queued behind the first commit");
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        Assert.Empty(await Store.QueryAsync(new AuditQuery(CallerA)));

        gated.Gate.SetResult();
        await first;
        await Task.WhenAll(calls);

        Assert.Equal([1, 12], gated.Transactions.Select(t => t.Count));
        Assert.Equal(2, writer.Health.Commits);
        Assert.Equal(13, (await Store.QueryAsync(new AuditQuery(CallerA))).Count);
    }

    [Fact]
    public async Task One_requests_feedback_is_written_in_one_transaction()
    {
        await Store.EnsureSchemaAsync();
        var flaky = new FlakyStore(Store);
        await using var writer = new DurableAuditWriter(flaky, Path.Combine(temp.Path, "spool"));
        var record = AuditSamples.Record(cardIds: ["card-1", "card-2", "card-3"]);
        await writer.AppendAsync(record);

        var attached = await writer.AppendFeedbackAsync([
            AuditSamples.Accepted(record, "card-1", "s"), AuditSamples.Overridden(record, "card-2"), AuditSamples.Accepted(record, "no-such-card", "s")]);

        Assert.Equal([true, true, false], attached);
        Assert.Equal(3, flaky.Transactions[^1].Count);
        Assert.Equal(2, (await SingleAsync(Store, new AuditQuery(CallerA))).Feedback.Count);
    }

    [Fact]
    public async Task A_record_the_store_refuses_is_spooled_to_disk_and_drained_into_the_store_exactly_once()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, spool) = Writer();
        var record = AuditSamples.Record(cardIds: ["card-1", "card-2"]);
        flaky.Down = true;

        await writer.AppendAsync(record); // no exception: the answer can go out

        Assert.Empty(await Store.QueryAsync(new AuditQuery(CallerA)));
        Assert.Contains(record.Id.ToString(), await File.ReadAllTextAsync(Path.Combine(spool, DurableAuditWriter.SpoolFileName)), StringComparison.Ordinal);
        Assert.Equal(new { Reachable = false, Pending = 1, Spooled = 1L, Drained = 0L },
            new { Reachable = writer.Health.StoreReachable, writer.Health.Pending, writer.Health.Spooled, writer.Health.Drained });
        Assert.Contains("TimeoutException", writer.Health.LastStoreError, StringComparison.Ordinal);

        flaky.Down = false;
        Assert.Equal(1, await writer.DrainSpoolAsync());
        Assert.Equal(0, await writer.DrainSpoolAsync());

        var entry = await SingleAsync(Store, new AuditQuery(CallerA));
        Assert.Equal(record.OutputDigest, entry.Record.OutputDigest);
        Assert.Equal(record.Input, (await Store.FindAsync(record.Id))!.Record.Input);
        Assert.Equal(["card-1", "card-2"], entry.Record.CardIds);
        Assert.Equal(new { Reachable = true, Pending = 0, Drained = 1L },
            new { Reachable = writer.Health.StoreReachable, writer.Health.Pending, writer.Health.Drained });
        Assert.Empty(Directory.GetFiles(spool, "*.draining"));
    }

    [Fact]
    public async Task A_record_written_before_the_store_failed_to_acknowledge_it_is_not_doubled_by_the_drain()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, _) = Writer();
        var record = AuditSamples.Record();
        flaky.FailAfterWriting = true;

        await writer.AppendAsync(record);
        flaky.FailAfterWriting = false;
        await writer.DrainSpoolAsync();

        Assert.Equal(record.Id, (await SingleAsync(Store, new AuditQuery(CallerA))).Record.Id);
        Assert.Equal(0, writer.Health.Pending);
    }

    [Fact]
    public async Task A_drain_while_the_store_is_still_down_keeps_everything_for_the_next_one()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, _) = Writer();
        var records = Enumerable.Range(0, 3).Select(i => AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(i))).ToList();
        flaky.Down = true;
        foreach (var record in records)
        {
            await writer.AppendAsync(record);
        }

        Assert.Equal(0, await writer.DrainSpoolAsync());
        Assert.Equal(3, writer.Health.Pending);

        flaky.Down = false;
        Assert.Equal(3, await writer.DrainSpoolAsync());
        Assert.Equal(records.AsEnumerable().Reverse().Select(r => r.Id),
            (await Store.QueryAsync(new AuditQuery(CallerA))).Select(e => e.Record.Id));
    }

    [Fact]
    public async Task Feedback_spooled_during_an_outage_is_drained_after_its_record_and_still_checked_for_ownership()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, _) = Writer();
        var record = AuditSamples.Record(caller: CallerA, cardIds: ["card-1"]);
        flaky.Down = true;

        await writer.AppendAsync(record);
        var accepted = AuditSamples.Accepted(record, "card-1", "suggestion-1");
        Assert.True(await writer.AppendFeedbackAsync(accepted));
        Assert.True(await writer.AppendFeedbackAsync(AuditSamples.Overridden(record, "card-1", caller: CallerB)));

        flaky.Down = false;
        Assert.Equal(2, await writer.DrainSpoolAsync());

        var feedback = Assert.Single((await SingleAsync(Store, new AuditQuery(CallerA))).Feedback);
        Assert.Equal((accepted.Id, "accepted", "suggestion-1", accepted.OutcomeTime), (feedback.Id, feedback.Outcome, Assert.Single(feedback.AcceptedSuggestions), feedback.OutcomeTime));
        Assert.Equal(1, writer.Health.Discarded);
        Assert.Empty(await Store.QueryAsync(new AuditQuery(CallerB)));
    }

    [Fact]
    public async Task Feedback_arriving_when_the_store_is_back_but_its_record_is_still_spooled_is_kept_until_the_record_is_drained()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, _) = Writer();
        var record = AuditSamples.Record(cardIds: ["card-1"]);
        flaky.Down = true;
        await writer.AppendAsync(record);
        flaky.Down = false;

        Assert.True(await writer.AppendFeedbackAsync(AuditSamples.Accepted(record, "card-1")));
        Assert.Equal(2, writer.Health.Pending);
        Assert.Equal(2, await writer.DrainSpoolAsync());

        Assert.Single((await SingleAsync(Store, new AuditQuery(CallerA))).Feedback);
        Assert.False(await writer.AppendFeedbackAsync(AuditSamples.Accepted(record, "no-such-card")));
    }

    [Fact]
    public async Task When_the_store_and_the_spool_both_fail_the_write_throws_AuditUnavailableException()
    {
        await Store.EnsureSchemaAsync();
        var notADirectory = Path.Combine(temp.Path, "spool-is-a-file");
        await File.WriteAllTextAsync(notADirectory, "");
        var flaky = new FlakyStore(Store) { Down = true };
        var writer = new DurableAuditWriter(flaky, Path.Combine(notADirectory, "spool"), new AuditQueueOptions { StoreRetryInterval = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Record()));

        var causes = Assert.IsType<AggregateException>(error.InnerException).InnerExceptions;
        Assert.IsType<TimeoutException>(causes[0]);
        Assert.IsAssignableFrom<IOException>(causes[1]);
        Assert.Equal(0, writer.Health.Pending);
    }

    [Fact]
    public async Task Reading_while_the_store_is_down_throws_AuditUnavailableException()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, _) = Writer();
        flaky.Down = true;

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.QueryAsync(new AuditQuery(CallerA)));
        Assert.False(writer.Health.StoreReachable);
    }

    [Fact]
    public async Task A_writer_started_after_a_crash_finds_the_spool_and_drains_it()
    {
        await Store.EnsureSchemaAsync();
        var (before, flaky, spool) = Writer();
        flaky.Down = true;
        var record = AuditSamples.Record();
        await before.AppendAsync(record);
        await before.DisposeAsync(); // the process ends: its hold on the spool directory goes with it

        var after = new DurableAuditWriter(Store, spool);
        Assert.Equal(1, after.Health.Pending);
        Assert.Equal(1, await after.DrainSpoolAsync());

        Assert.Equal(record.Id, (await SingleAsync(Store, new AuditQuery(CallerA))).Record.Id);
    }

    [Fact]
    public async Task A_line_cut_short_by_a_crash_is_set_aside_and_the_records_around_it_are_drained()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, spool) = Writer();
        flaky.Down = true;
        var first = AuditSamples.Record();
        await writer.AppendAsync(first);
        await File.AppendAllTextAsync(Path.Combine(spool, DurableAuditWriter.SpoolFileName), """{"record":{"id":"cut sh""");
        var second = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1));
        await writer.AppendAsync(second);

        flaky.Down = false;
        Assert.Equal(2, await writer.DrainSpoolAsync());

        Assert.Equal(2, (await Store.QueryAsync(new AuditQuery(CallerA))).Count);
        Assert.Contains("cut sh", await File.ReadAllTextAsync(Path.Combine(spool, DurableAuditWriter.RejectedFileName)), StringComparison.Ordinal);
        Assert.Equal(1, writer.Health.Discarded);
    }

    [Fact]
    public async Task A_record_the_store_keeps_refusing_while_it_takes_the_next_one_is_set_aside_instead_of_blocking_the_spool()
    {
        await Store.EnsureSchemaAsync();
        var (writer, flaky, spool) = Writer();
        var poison = AuditSamples.Record();
        var good = AuditSamples.Record(time: AuditSamples.Noon.AddMinutes(1));
        flaky.Down = true;
        await writer.AppendAsync(poison);
        await writer.AppendAsync(good);
        flaky.Down = false;
        flaky.Refused.Add(poison.Id);

        Assert.Equal(1, await writer.DrainSpoolAsync());

        Assert.Equal(good.Id, (await SingleAsync(Store, new AuditQuery(CallerA))).Record.Id);
        Assert.Contains(poison.Id.ToString(), await File.ReadAllTextAsync(Path.Combine(spool, DurableAuditWriter.RejectedFileName)), StringComparison.Ordinal);
        Assert.Equal(0, writer.Health.Pending);
    }

    [Fact]
    public async Task Shortly_after_a_store_failure_writes_go_straight_to_the_spool_without_waiting_on_the_store()
    {
        await Store.EnsureSchemaAsync();
        var clock = new ManualClock();
        var (writer, flaky, _) = Writer(TimeSpan.FromSeconds(5), clock);
        flaky.Down = true;
        await writer.AppendAsync(AuditSamples.Record());
        var callsAfterFailure = flaky.Calls;

        flaky.Down = false;
        clock.Advance(TimeSpan.FromSeconds(4));
        await writer.AppendAsync(AuditSamples.Record());
        Assert.Equal(callsAfterFailure, flaky.Calls);
        Assert.Equal(2, writer.Health.Pending);

        clock.Advance(TimeSpan.FromSeconds(2));
        var direct = AuditSamples.Record();
        await writer.AppendAsync(direct);
        Assert.Equal(callsAfterFailure + 1, flaky.Calls);
        Assert.Equal(2, writer.Health.Pending);
        Assert.Equal(direct.Id, (await SingleAsync(Store, new AuditQuery(CallerA))).Record.Id);
    }
}
