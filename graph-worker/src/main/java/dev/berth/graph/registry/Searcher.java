package dev.berth.graph.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.EngineException;
import dev.berth.bus.ErrorKind;
import dev.berth.bus.contract.image.SearchImages;
import dev.berth.bus.contract.image.SearchResults;
import dev.berth.graph.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code docker search}. A term may name a registry ({@code 127.0.0.1:5000/team}); without one it
 * is Docker Hub. The registry's search endpoint ({@code /v1/search}) is asked first; a registry
 * without one (distribution answers 404, where dockerd gives up) is searched through its catalog,
 * matching the term against repository names, with each result's tags as its description.
 * Filters are dockerd's: is-official, is-automated, stars; a private registry's repositories are
 * never official or automated and have no stars.
 */
public final class Searcher {
    public static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 100;
    private static final int MAX_CATALOG = 10_000;
    private static final int MAX_TAGS_SHOWN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryHosts hosts;
    private final TokenCache tokens;

    public Searcher(RegistryHosts hosts, TokenCache tokens) {
        this.hosts = hosts;
        this.tokens = tokens;
    }

    /** The filters, checked before any registry is asked. */
    record Filters(Boolean official, Boolean automated, int stars) {
        static Filters of(Map<String, List<String>> filters) {
            Boolean official = null;
            Boolean automated = null;
            int stars = 0;
            for (Map.Entry<String, List<String>> filter : filters == null ? Map.<String, List<String>>of().entrySet()
                    : filters.entrySet()) {
                for (String value : filter.getValue()) {
                    switch (filter.getKey()) {
                        case "is-official" -> official = bool(filter.getKey(), value);
                        case "is-automated" -> automated = bool(filter.getKey(), value);
                        case "stars" -> {
                            try {
                                stars = Math.max(stars, Integer.parseInt(value));
                            } catch (NumberFormatException e) {
                                throw EngineException.invalid("invalid filter 'stars=" + value + "'");
                            }
                        }
                        default -> throw EngineException.invalid("invalid filter '" + filter.getKey() + "'");
                    }
                }
            }
            return new Filters(official, automated, stars);
        }

        private static Boolean bool(String key, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw EngineException.invalid("invalid filter '" + key + "=" + value + "'");
            };
        }

        boolean accepts(SearchResults.Result result) {
            return (official == null || official == result.official()) && (automated == null || automated == result.automated())
                    && result.starCount() >= stars;
        }
    }

    public SearchResults search(SearchImages args) throws IOException {
        int limit = args.limit() == 0 ? DEFAULT_LIMIT : args.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw EngineException.invalid("limit " + limit + " is outside the range of [1, 100]");
        }
        Filters filters = Filters.of(args.filters());
        String term = args.term() == null ? "" : args.term().trim();
        String domain = Reference.DEFAULT_DOMAIN;
        String words = term;
        int slash = term.indexOf('/');
        if (slash > 0) {
            String first = term.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                domain = first.equals("index.docker.io") ? Reference.DEFAULT_DOMAIN : first;
                words = term.substring(slash + 1);
            }
        }
        if (words.isEmpty()) {
            throw EngineException.invalid("invalid repository name: repository name (" + term + ") must have at least one"
                    + " component");
        }
        RegistryClient client = RegistryClient.connect(hosts, tokens, domain, args.auth());
        List<SearchResults.Result> found = searchEndpoint(client, words, limit);
        if (found == null) {
            found = fromCatalog(client, words, limit, filters);
        }
        List<SearchResults.Result> results = new ArrayList<>();
        for (SearchResults.Result result : found) {
            if (filters.accepts(result) && results.size() < limit) {
                results.add(result);
            }
        }
        return new SearchResults(results);
    }

    /** The registry's /v1/search, as Docker Hub has it; null when the registry has none. */
    private List<SearchResults.Result> searchEndpoint(RegistryClient client, String words, int limit) throws IOException {
        String path = "/v1/search?q=" + URLEncoder.encode(words, StandardCharsets.UTF_8) + "&n=" + limit;
        HttpResponse<InputStream> response;
        try {
            response = client.get(path, List.of());
        } catch (EngineException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.UNAUTHENTICATED) {
                return null;
            }
            throw e;
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(4 << 20);
        }
        if (response.statusCode() == 404 || response.statusCode() == 405 || response.statusCode() == 401) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw RegistryErrors.of(response.statusCode(), RegistryErrors.describe(response.statusCode(), body));
        }
        List<SearchResults.Result> results = new ArrayList<>();
        for (JsonNode item : JSON.readTree(body).path("results")) {
            results.add(new SearchResults.Result(item.path("name").asText(), item.path("description").asText(""),
                    item.path("star_count").asInt(0), item.path("is_official").asBoolean(false),
                    item.path("is_automated").asBoolean(false)));
        }
        return results;
    }

    /** Repositories of the catalog whose name holds the term, with their tags as the description. */
    private List<SearchResults.Result> fromCatalog(RegistryClient client, String words, int limit, Filters filters)
            throws IOException {
        String needle = words.toLowerCase(Locale.ROOT);
        List<SearchResults.Result> results = new ArrayList<>();
        for (String repository : client.catalog(MAX_CATALOG)) {
            if (!repository.toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            SearchResults.Result candidate = new SearchResults.Result(client.domain() + "/" + repository, "", 0, false, false);
            if (!filters.accepts(candidate)) {
                continue;
            }
            List<String> tags;
            try {
                tags = new ArrayList<>(client.tags(repository));
            } catch (EngineException e) {
                tags = List.of();
            }
            tags.sort(null);
            String description = tags.isEmpty() ? "" : "tags: " + String.join(", ", tags.subList(0, Math.min(tags.size(),
                    MAX_TAGS_SHOWN))) + (tags.size() > MAX_TAGS_SHOWN ? ", …" : "");
            results.add(new SearchResults.Result(candidate.name(), description, 0, false, false));
            if (results.size() >= limit) {
                break;
            }
        }
        return results;
    }
}
