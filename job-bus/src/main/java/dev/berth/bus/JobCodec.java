package dev.berth.bus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The one codec of job arguments, replies and stream headers: records to JSON and back with
 * Jackson, the same bytes whatever the transport. A null field means "not set" both ways: it is
 * left out when encoding, and an explicit JSON null decodes as absent (docker-java sends every
 * unset field as null).
 *
 * <p>Decoding fails with {@link ErrorKind#INVALID_ARGUMENT} and a message that names the field
 * whose JSON type is wrong, so that the gateway can hand it to the client as a 400.
 */
public final class JobCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // {"Image":123} or {"AutoRemove":"yes"} is a client's mistake to name, not a value to guess.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private JobCodec() {
    }

    /** The mapper, for callers that parse other JSON with the same rules (Docker request bodies). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static Buffer encodeToBuffer(Object value) {
        if (value == null) {
            return Buffer.buffer("{}");
        }
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw EngineException.internal("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static JsonObject encode(Object value) {
        if (value == null) {
            return new JsonObject();
        }
        if (value instanceof JsonObject) {
            return (JsonObject) value;
        }
        return new JsonObject(encodeToBuffer(value));
    }

    public static <T> T decode(JsonObject json, Class<T> type) {
        if (type == Void.class) {
            return null;
        }
        if (type == JsonObject.class) {
            return type.cast(json == null ? new JsonObject() : json);
        }
        return decode(json == null ? Buffer.buffer("{}") : json.toBuffer(), type);
    }

    public static <T> T decode(Buffer bytes, Class<T> type) {
        return decode(bytes.getBytes(), type);
    }

    /** For code behind a verticle, which keeps to plain Java types: JSON text to a record. */
    public static <T> T decode(String json, Class<T> type) {
        return decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    /** A record as JSON text, with the codec's rules (nulls left out). */
    public static String encodeToString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw EngineException.internal("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T decode(byte[] bytes, Class<T> type) {
        if (type == Void.class) {
            return null;
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (MismatchedInputException e) {
            throw EngineException.invalid(describe(e));
        } catch (JsonMappingException e) {
            throw EngineException.invalid(describe(e));
        } catch (IOException e) {
            throw EngineException.invalid("invalid JSON: " + e.getMessage());
        }
    }

    /** "json: cannot unmarshal …" in Docker's words: the field's path and what was wrong with it. */
    public static String describe(JsonMappingException e) {
        String path = fieldPath(e);
        String problem = e.getOriginalMessage();
        int detail = problem.indexOf(" (through reference chain");
        if (detail > 0) {
            problem = problem.substring(0, detail);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "expected " + describeType(mismatch.getTargetType());
        }
        return path.isEmpty() ? "invalid JSON: " + problem : "invalid value for field " + path + ": " + problem;
    }

    /** The dotted JSON path of the field a mapping error is about, as the client wrote it. */
    public static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describeType(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
