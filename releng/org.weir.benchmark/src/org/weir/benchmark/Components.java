package org.weir.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Just enough Declarative Services to run the packet path on a flat class path, without OSGi: reads the component
 * descriptions ({@code Service-Component} header → {@code OSGI-INF/*.xml}) of every bundle jar on the class path,
 * instantiates the implementation of a service with its public no-arg constructor, fills its static references
 * (field or bind method) the same way and calls its activate method. Enough for the decoder and session table
 * factories and the capture formats; not a DS runtime (no dynamics, no configuration, no service properties).
 *
 * <p>{@code -Dweir.bench.impl.<service interface>=<implementation class>} picks one implementation when several
 * components provide the same service; {@code -Dweir.bench.components=<class>,...} adds classes that have no
 * component description (compiled without the DS tooling), providing their interfaces, without references.
 */
final class Components {

    private record Reference(String name, String service, String field, String bind, boolean multiple,
            boolean optional) {
    }

    private record Descriptor(String name, String implementation, List<String> provides, List<Reference> references,
            String activate) {
    }

    private final List<Descriptor> descriptors = new ArrayList<>();
    private final Map<String, Object> instances = new HashMap<>();
    private final ClassLoader loader;

    Components(ClassLoader loader) throws IOException {
        this.loader = loader;
        // Classes compiled without their component descriptions (e.g. by plain javac): provide their interfaces.
        for (String c : System.getProperty("weir.bench.components", "").split(",")) {
            if (!c.isBlank()) {
                List<String> provides = new ArrayList<>();
                try {
                    for (Class<?> i : Class.forName(c.trim(), false, loader).getInterfaces()) {
                        provides.add(i.getName());
                    }
                } catch (ClassNotFoundException e) {
                    throw new IOException("weir.bench.components: no class " + c.trim(), e);
                }
                descriptors.add(new Descriptor(c.trim(), c.trim(), provides, List.of(), null));
            }
        }
        Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            URL m = manifests.nextElement();
            Manifest mf;
            try (InputStream in = m.openStream()) {
                mf = new Manifest(in);
            }
            String header = mf.getMainAttributes().getValue("Service-Component");
            if (header == null || header.isBlank()) {
                continue;
            }
            String base = m.toString().substring(0, m.toString().length() - "META-INF/MANIFEST.MF".length());
            for (String entry : header.split(",")) {
                entry = entry.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                for (URL xml : resolve(base, entry)) {
                    read(xml);
                }
            }
        }
    }

    /** Number of component descriptions found. */
    int size() {
        return descriptors.size();
    }

    /** The one implementation of a service (a shared instance, like a DS singleton component). */
    <T> T get(Class<T> service) {
        List<T> all = all(service);
        String wanted = System.getProperty("weir.bench.impl." + service.getName());
        if (wanted != null) {
            for (T t : all) {
                if (t.getClass().getName().equals(wanted)) {
                    return t;
                }
            }
            throw new IllegalStateException("no component " + wanted + " provides " + service.getName());
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no component on the class path provides " + service.getName()
                    + " (is its bundle jar built and on the class path?)");
        }
        return all.get(0);
    }

    /** Every implementation of a service, in class path order. */
    <T> List<T> all(Class<T> service) {
        List<T> out = new ArrayList<>();
        for (Descriptor d : descriptors) {
            if (d.provides().contains(service.getName())) {
                out.add(service.cast(instance(d)));
            }
        }
        return out;
    }

    private Object instance(Descriptor d) {
        Object existing = instances.get(d.name());
        if (existing != null) {
            return existing;
        }
        try {
            Class<?> c = Class.forName(d.implementation(), true, loader);
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            Object o = ctor.newInstance();
            instances.put(d.name(), o);
            for (Reference r : d.references()) {
                inject(o, r);
            }
            // As SCR: the activate attribute, else a method called "activate" if there is one.
            activate(o, d.activate() != null ? d.activate() : "activate");
            return o;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate component " + d.name() + ": " + e, e);
        }
    }

    private void inject(Object o, Reference r) throws ReflectiveOperationException {
        Class<?> service = Class.forName(r.service(), false, loader);
        List<Object> providers = new ArrayList<>();
        for (Descriptor d : descriptors) {
            if (d.provides().contains(r.service())) {
                providers.add(instance(d));
            }
        }
        if (providers.isEmpty()) {
            if (r.optional()) {
                return;
            }
            throw new IllegalStateException(o.getClass().getName() + " needs a " + r.service()
                    + " and no component on the class path provides one");
        }
        List<Object> targets = r.multiple() ? providers : providers.subList(0, 1);
        if (r.field() != null) {
            Field f = findField(o.getClass(), r.field());
            f.setAccessible(true);
            if (Collection.class.isAssignableFrom(f.getType())) {
                @SuppressWarnings("unchecked")
                Collection<Object> existing = (Collection<Object>) f.get(o);
                if (existing != null) {
                    existing.addAll(targets);
                } else {
                    f.set(o, new ArrayList<>(targets));
                }
            } else {
                f.set(o, targets.get(0));
            }
        }
        if (r.bind() != null) {
            Method m = findMethod(o.getClass(), r.bind(), service);
            m.setAccessible(true);
            for (Object t : targets) {
                m.invoke(o, t);
            }
        }
    }

    private static void activate(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.getName().equals(name)) {
                    continue;
                }
                Object[] args = new Object[m.getParameterCount()];
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < args.length; i++) {
                    args[i] = types[i] == Map.class ? Map.of() : null;
                }
                m.setAccessible(true);
                m.invoke(o, args);
                return;
            }
        }
    }

    private static Field findField(Class<?> c, String name) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // try the superclass
            }
        }
        throw new NoSuchFieldException(c.getName() + "." + name);
    }

    private static Method findMethod(Class<?> c, String name, Class<?> service) throws NoSuchMethodException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].isAssignableFrom(service)) {
                    return m;
                }
            }
        }
        throw new NoSuchMethodException(c.getName() + "." + name + "(" + service.getName() + ")");
    }

    private List<URL> resolve(String base, String entry) throws IOException {
        if (!entry.contains("*")) {
            return List.of(url(base + entry));
        }
        // A wildcard (OSGI-INF/*.xml): list the jar or folder.
        String dir = entry.substring(0, entry.lastIndexOf('/') + 1);
        String suffix = entry.substring(entry.lastIndexOf('*') + 1);
        List<URL> out = new ArrayList<>();
        URLConnection conn = url(base + "META-INF/MANIFEST.MF").openConnection();
        if (conn instanceof JarURLConnection jc) {
            jc.setUseCaches(false);
            try (JarFile jar = jc.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String n = e.nextElement().getName();
                    if (n.startsWith(dir) && n.endsWith(suffix) && n.indexOf('/', dir.length()) < 0) {
                        out.add(url(base + n));
                    }
                }
            }
        } else {
            java.io.File folder = new java.io.File(url(base + dir).getPath());
            String[] names = folder.list();
            if (names != null) {
                java.util.Arrays.sort(names);
                for (String n : names) {
                    if (n.endsWith(suffix)) {
                        out.add(url(base + dir + n));
                    }
                }
            }
        }
        return out;
    }

    private static URL url(String s) throws IOException {
        return java.net.URI.create(s.replace(" ", "%20")).toURL();
    }

    private void read(URL xml) throws IOException {
        Document doc;
        try (InputStream in = xml.openStream()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().parse(in);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("cannot read component description " + xml + ": " + e.getMessage(), e);
        }
        NodeList components = doc.getElementsByTagNameNS("*", "component");
        if (components.getLength() == 0 && "component".equals(doc.getDocumentElement().getLocalName())) {
            components = doc.getChildNodes();
        }
        for (int i = 0; i < components.getLength(); i++) {
            if (!(components.item(i) instanceof Element c)) {
                continue;
            }
            Element impl = first(c, "implementation");
            if (impl == null) {
                continue;
            }
            List<String> provides = new ArrayList<>();
            NodeList p = c.getElementsByTagNameNS("*", "provide");
            for (int j = 0; j < p.getLength(); j++) {
                provides.add(((Element) p.item(j)).getAttribute("interface"));
            }
            List<Reference> refs = new ArrayList<>();
            NodeList r = c.getElementsByTagNameNS("*", "reference");
            for (int j = 0; j < r.getLength(); j++) {
                Element e = (Element) r.item(j);
                String card = e.getAttribute("cardinality");
                refs.add(new Reference(e.getAttribute("name"), e.getAttribute("interface"), blankToNull(e
                        .getAttribute("field")), blankToNull(e.getAttribute("bind")), card.endsWith("n"),
                        card.startsWith("0")));
            }
            String className = impl.getAttribute("class");
            String name = c.getAttribute("name").isEmpty() ? className : c.getAttribute("name");
            descriptors.add(new Descriptor(name, className, provides, refs, blankToNull(c.getAttribute("activate"))));
        }
    }

    private static Element first(Element parent, String localName) {
        NodeList l = parent.getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
