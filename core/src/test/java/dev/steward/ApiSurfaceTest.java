package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every public type of core's exported packages is one a user constructs, receives or implements:
 * an interface (implemented: the stores, the listener), an exception (thrown), a type with a public
 * static entry point returning it or its builder (constructed), or a type that appears in a public
 * signature of another public type of Steward (received or passed). A public type that is none of
 * these is an internal that leaked, and belongs package-private.
 */
class ApiSurfaceTest {

  private static final List<Class<?>> STEWARD_PUBLIC_TYPES = publicTypes("dev.steward");

  private static List<Class<?>> publicTypes(String pkg) {
    List<Class<?>> out = new ArrayList<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(pkg)) {
      Class<?> type = c.reflect();
      if (Modifier.isPublic(type.getModifiers())) {
        out.add(type);
      }
    }
    return out;
  }

  @Test
  void everyPublicTypeIsConstructedReceivedOrImplemented() {
    List<String> leaked = new ArrayList<>();
    for (Class<?> t : STEWARD_PUBLIC_TYPES) {
      if (!t.getPackageName().contains(".internal")
          && t.getEnclosingClass() == null
          && !t.isInterface()
          && !Throwable.class.isAssignableFrom(t)
          && !hasEntryPoint(t)
          && !inAnotherPublicSignature(t)) {
        leaked.add(t.getName());
      }
    }
    assertThat(leaked).as("public types no user constructs, receives or implements").isEmpty();
  }

  @Test
  void theCheckWouldReportAnInternalMadePublic() throws Exception {
    // package-private plumbing of several capabilities: none is an entry point or in a public
    // signature, so each would be reported by the check above if it were made public
    for (String name :
        List.of(
            "dev.steward.frequency.Evaluation",
            "dev.steward.frequency.PreferenceSource",
            "dev.steward.schedule.Payloads",
            "dev.steward.delivery.EventJson",
            "dev.steward.governance.LadderJson",
            "dev.steward.governance.StandingDecider",
            "dev.steward.governance.Explanations",
            "dev.steward.governance.EvaluationWork",
            "dev.steward.ippool.TieredStrategy")) {
      Class<?> internal = Class.forName(name);
      assertThat(Modifier.isPublic(internal.getModifiers())).as(name).isFalse();
      assertThat(hasEntryPoint(internal) || inAnotherPublicSignature(internal)).as(name).isFalse();
    }
  }

  @Test
  void classesAreMadeThroughOfOrBuilderNotConstructors() {
    // records (values) and exceptions are constructed; every other public class is reached through
    // a static of(...)/builder(...) (or is a static utility), so its construction can change
    List<String> constructible = new ArrayList<>();
    for (Class<?> t : STEWARD_PUBLIC_TYPES) {
      if (t.isRecord()
          || t.isInterface()
          || t.isEnum()
          || Throwable.class.isAssignableFrom(t)
          || t.getPackageName().contains(".internal")) {
        continue;
      }
      for (Executable c : t.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers())) {
          constructible.add(t.getName());
        }
      }
    }
    assertThat(constructible).as("public classes with public constructors").isEmpty();
  }

  private static boolean hasEntryPoint(Class<?> t) {
    boolean anyPublic = false;
    boolean allStatic = true;
    for (Method m : t.getDeclaredMethods()) {
      if (!Modifier.isPublic(m.getModifiers())) {
        continue;
      }
      boolean isStatic = Modifier.isStatic(m.getModifiers());
      // a factory or builder of the type (of(...), builder(...), fromJson(...), Optional<T> too)
      if (isStatic
          && (mentions(m.getGenericReturnType(), t)
              || m.getReturnType().getEnclosingClass() == t)) {
        return true;
      }
      anyPublic = true;
      allStatic &= isStatic;
    }
    // or a utility class of static functions (StewardSchema, BuiltInMeasures): a user calls them
    return anyPublic && allStatic && !t.isInterface();
  }

  private static boolean inAnotherPublicSignature(Class<?> t) {
    for (Class<?> owner : STEWARD_PUBLIC_TYPES) {
      if (owner == t || owner.getEnclosingClass() == t) {
        continue;
      }
      Set<Type> types = new HashSet<>();
      for (Method m : owner.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())) {
          types.add(m.getGenericReturnType());
          addParameters(m, types);
        }
      }
      for (Executable c : owner.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers())) {
          addParameters(c, types);
        }
      }
      for (Field f : owner.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          types.add(f.getGenericType());
        }
      }
      for (Type type : types) {
        if (mentions(type, t)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void addParameters(Executable e, Set<Type> into) {
    for (Type p : e.getGenericParameterTypes()) {
      into.add(p);
    }
  }

  private static boolean mentions(Type type, Class<?> t) {
    if (type == t) {
      return true;
    }
    if (type instanceof Class<?> c) {
      return c.isArray() && mentions(c.getComponentType(), t);
    }
    if (type instanceof ParameterizedType p) {
      if (mentions(p.getRawType(), t)) {
        return true;
      }
      for (Type a : p.getActualTypeArguments()) {
        if (mentions(a, t)) {
          return true;
        }
      }
      return false;
    }
    if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        if (mentions(b, t)) {
          return true;
        }
      }
      for (Type b : w.getLowerBounds()) {
        if (mentions(b, t)) {
          return true;
        }
      }
    }
    return false;
  }
}
