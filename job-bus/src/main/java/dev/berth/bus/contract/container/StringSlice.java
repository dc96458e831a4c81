package dev.berth.bus.contract.container;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's "strslice" (Cmd, Entrypoint, Shell): a JSON array of strings, or a bare string that
 * means a one-element array ({@code "Cmd":"date"} is {@code ["date"]}). Anything else is a
 * mismatch that names the field.
 */
public final class StringSlice extends JsonDeserializer<List<String>> {
    @Override
    public List<String> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            return List.of(parser.getText());
        }
        if (!parser.isExpectedStartArrayToken()) {
            return wrongType(parser, context);
        }
        List<String> values = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_STRING) {
                return wrongType(parser, context);
            }
            values.add(parser.getText());
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static List<String> wrongType(JsonParser parser, DeserializationContext context) throws IOException {
        return (List<String>) context.handleUnexpectedToken(List.class, parser);
    }
}
